import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';

const validDoc = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/validate/codes/valid.json', import.meta.url)), 'utf8')) as Record<string, unknown>;

function diagnosticsOf(doc: unknown) {
  return validateDocument(JSON.stringify(doc, null, 2), 'server.json', DEFAULT_CONFIG).diagnostics;
}

function withPackage(change: (pkg: Record<string, unknown>) => void): Record<string, unknown> {
  const doc = structuredClone(validDoc) as { packages: Record<string, unknown>[] };
  const pkg = { registryType: 'npm', identifier: '@octo-dev/weather-mcp', version: '1.0.0', transport: { type: 'stdio' } };
  change(pkg);
  doc.packages = [pkg];
  return doc;
}

describe('messages for the mistakes a first-time author makes', () => {
  it('names the likely property when a top-level key is misspelled', () => {
    const doc = { ...validDoc, websiteURL: 'https://example.com' };
    const unknown = diagnosticsOf(doc).find((d) => d.code === 'schema/unknown-property');
    expect(unknown?.message).toContain("did you mean 'websiteUrl'?");
  });

  it('names an array item with its array in a missing-property message', () => {
    const required = diagnosticsOf(withPackage((p) => delete p.transport)).find((d) => d.code === 'schema/required');
    expect(required?.message).toContain("'packages[0]' is missing the required property 'transport'");
  });

  it('points at a misspelled sibling when a required property is missing', () => {
    const doc = withPackage((p) => {
      p.identifer = p.identifier;
      delete p.identifier;
    });
    const required = diagnosticsOf(doc).find((d) => d.code === 'schema/required');
    expect(required?.message).toContain("is 'identifer' a misspelling of it?");
  });

  it('reports a snake_case field once, as a rename, not also as a missing property', () => {
    const doc = withPackage((p) => {
      p.registry_type = p.registryType;
      delete p.registryType;
    });
    const codes = diagnosticsOf(doc).map((d) => `${d.code} ${d.pointer}`);
    expect(codes).toContain('schema/legacy-field /packages/0/registry_type');
    expect(codes).not.toContain('schema/required /packages/0/registryType');
  });

  it('lists for an old $schema only the changes the file needs', () => {
    const old = diagnosticsOf({ ...validDoc, $schema: 'https://static.modelcontextprotocol.io/schemas/2025-10-17/server.schema.json' });
    const message = old.find((d) => d.code === 'schema/outdated')?.message;
    expect(message).toBe(
      'this file uses the 2025-10-17 format; it is accepted, but move to 2025-12-11: set $schema to https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json; nothing else needs to change',
    );
  });

  it('says to drop the leading v of a tag-style version', () => {
    const found = diagnosticsOf({ ...validDoc, version: 'v1.1.0' }).find((d) => d.code === 'version/not-semver');
    expect(found?.message).toContain("write 1.1.0, without the tag's leading 'v'");
  });

  it('says how long a too-long description is', () => {
    const found = diagnosticsOf({ ...validDoc, description: 'x'.repeat(120) }).find((d) => d.code === 'schema/length');
    expect(found?.message).toBe("'description' must be at most 100 characters long (it has 120); shorten it");
  });

  it('warns about a misspelt optional field inside a package, naming the field it meant', () => {
    const doc = withPackage((p) => {
      p.runtimeHnt = 'npx';
    });
    const found = diagnosticsOf(doc).find((d) => d.code === 'schema/unknown-property');
    expect(found).toMatchObject({ severity: 'warning', pointer: '/packages/0/runtimeHnt' });
    expect(found?.message).toContain("did you mean 'runtimeHint'?");
  });

  it('warns about an unknown field inside a remote', () => {
    const doc = { ...validDoc, remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp', header: [] }] };
    const found = diagnosticsOf(doc).find((d) => d.code === 'schema/unknown-property');
    expect(found).toMatchObject({ pointer: '/remotes/0/header' });
    expect(found?.message).toContain("did you mean 'headers'?");
  });

  it('says how to test against a local npm registry instead of naming it in registryBaseUrl', () => {
    const doc = withPackage((p) => {
      p.registryBaseUrl = 'http://127.0.0.1:4873';
    });
    const found = diagnosticsOf(doc).find((d) => d.code === 'package/registry-not-allowed');
    expect(found?.message).toContain(
      'set registryBaseUrl to https://registry.npmjs.org (to check a package on a local or staging registry, use `mcp-registry verify --endpoint npm=URL` instead)',
    );
  });
});
