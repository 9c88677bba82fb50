import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { RegistryConfig } from '../../scripts/config/registry-config.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';

const validDoc = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/validate/codes/valid.json', import.meta.url)), 'utf8')) as Record<string, unknown>;

/** `code pointer` of every package diagnostic for a document with this one package. */
function packageFindings(pkg: Record<string, unknown>, config: RegistryConfig = DEFAULT_CONFIG): string[] {
  const doc = { ...validDoc, packages: [{ transport: { type: 'stdio' }, ...pkg }] };
  return validateDocument(JSON.stringify(doc, null, 2), 'server.json', config)
    .diagnostics.filter((d) => d.code.startsWith('package/'))
    .map((d) => `${d.code} ${d.pointer}`);
}

const oci = (identifier: string, registryBaseUrl?: string, version?: string) => ({
  registryType: 'oci',
  identifier,
  ...(registryBaseUrl ? { registryBaseUrl } : {}),
  ...(version ? { version } : {}),
});

describe('the registry an OCI package is checked against is the one it is pulled from', () => {
  it('refuses an identifier naming another host than an allowed registryBaseUrl', () => {
    expect(packageFindings(oci('evil.example.com/acme/tool:1.0.0', 'https://ghcr.io'))).toEqual(['package/oci-registry-mismatch /packages/0/registryBaseUrl']);
  });

  it('refuses an identifier on a host that is not allowed', () => {
    expect(packageFindings(oci('evil.example.com/acme/tool:1.0.0'))).toEqual(['package/registry-not-allowed /packages/0/identifier']);
  });

  it('refuses an allowed host on a port the allow-list does not name', () => {
    expect(packageFindings(oci('ghcr.io:8443/acme/tool:1.0.0'))).toEqual(['package/registry-not-allowed /packages/0/identifier']);
    expect(packageFindings(oci('europe-docker.pkg.dev:8443/acme/tool:1.0.0'))).toEqual(['package/registry-not-allowed /packages/0/identifier']);
  });

  it('refuses any registryBaseUrl, as the official registry does, even one repeating the identifier’s registry', () => {
    expect(packageFindings(oci('ghcr.io/acme/tool:1.0.0', 'https://ghcr.io'))).toEqual(['package/base-url-forbidden /packages/0/registryBaseUrl']);
    expect(packageFindings(oci('GHCR.io/acme/tool:1.0.0', 'https://ghcr.io/'))).toEqual(['package/base-url-forbidden /packages/0/registryBaseUrl']);
  });

  it('treats docker.io, index.docker.io and registry-1.docker.io as one registry', () => {
    expect(packageFindings(oci('index.docker.io/acme/tool:1.0.0', 'https://docker.io'))).toEqual(['package/base-url-forbidden /packages/0/registryBaseUrl']);
    expect(packageFindings(oci('docker.io/acme/tool:1.0.0', 'https://registry-1.docker.io'))).toEqual([
      'package/base-url-forbidden /packages/0/registryBaseUrl',
    ]);
    expect(packageFindings(oci('registry-1.docker.io/acme/tool:1.0.0'))).toEqual([]);
    const onlyHub: RegistryConfig = { ...DEFAULT_CONFIG, allowedRegistries: { ...DEFAULT_CONFIG.allowedRegistries, oci: ['index.docker.io'] } };
    expect(packageFindings(oci('acme/tool:1.0.0'), onlyHub)).toEqual([]);
  });

  it('reads an identifier without a host as Docker Hub', () => {
    const onlyGhcr: RegistryConfig = { ...DEFAULT_CONFIG, allowedRegistries: { ...DEFAULT_CONFIG.allowedRegistries, oci: ['ghcr.io'] } };
    expect(packageFindings(oci('acme/tool:1.0.0'), onlyGhcr)).toEqual(['package/registry-not-allowed /packages/0/identifier']);
    expect(packageFindings(oci('docker.io/acme/tool:1.0.0', 'https://ghcr.io'))).toEqual(['package/oci-registry-mismatch /packages/0/registryBaseUrl']);
  });

  it('checks an older file’s registryBaseUrl, the registry of an identifier without a host, against the allow-list', () => {
    // 30 versions in the official registry on 2025-10-10 are written like this (github/github-mcp-server among them);
    // they are refused for the base URL and the version, and the host verify would contact is still the one checked.
    const onlyHub: RegistryConfig = { ...DEFAULT_CONFIG, allowedRegistries: { ...DEFAULT_CONFIG.allowedRegistries, oci: ['docker.io'] } };
    const old = oci('github/github-mcp-server', 'https://ghcr.io', '0.18.0');
    expect(packageFindings(old)).not.toContain('package/registry-not-allowed /packages/0/identifier');
    expect(packageFindings(old)).toEqual(
      expect.arrayContaining(['package/base-url-forbidden /packages/0/registryBaseUrl', 'package/version-forbidden /packages/0/version']),
    );
    expect(packageFindings(old, onlyHub)).toContain('package/registry-not-allowed /packages/0/identifier');
  });
});

describe('the host an MCPB file is checked against is the one it is downloaded from', () => {
  const mcpb = (identifier: string) => ({ registryType: 'mcpb', identifier, fileSha256: 'a'.repeat(64) });

  it('refuses an allowed host on a port the allow-list does not name', () => {
    expect(packageFindings(mcpb('https://github.com:8443/acme/x/releases/download/v1/x.mcpb'))).toEqual([
      'package/registry-not-allowed /packages/0/identifier',
    ]);
  });

  it('refuses a host that only starts or ends like an allowed one', () => {
    expect(packageFindings(mcpb('https://github.com.evil.example/acme/x.mcpb'))).toEqual(['package/registry-not-allowed /packages/0/identifier']);
    expect(packageFindings(mcpb('https://evilgithub.com/acme/x.mcpb'))).toEqual(['package/registry-not-allowed /packages/0/identifier']);
    expect(packageFindings(mcpb('https://github.com@evil.example/acme/x.mcpb'))).toEqual(['package/registry-not-allowed /packages/0/identifier']);
  });

  it('accepts the default https port written out', () => {
    expect(packageFindings(mcpb('https://github.com:443/acme/x/releases/download/v1/x.mcpb'))).toEqual([]);
  });
});
