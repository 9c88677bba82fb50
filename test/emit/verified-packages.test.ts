/**
 * registry/verified/<ns>/<name>.yaml (written by `mcp-registry verify --record`) reaches `_meta` and the server
 * page through a real build: only for the versions it records, and only for packages the version still lists.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { siteEmitter } from '../../scripts/emit/site-emitter.ts';
import { serializeVerifiedFile } from '../../scripts/state/verified-file.ts';
import { API_EMITTERS, buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

const META = 'io.github.mcp-static-registry/registry';
const RECORD = 'registry/verified/com.example/weather.yaml';
const proof = { registryType: 'npm', identifier: 'weather', proved: 'npm mcpName', checkedAt: '2026-12-03T10:00:00Z' };

function entry(dist: string, version: string): ServerResponse {
  return JSON.parse(readFileSync(join(dist, `v0.1/entries/com.example@weather@${version}.json`), 'utf8')) as ServerResponse;
}

function verification(doc: ServerResponse): unknown {
  return (doc._meta[META] as Record<string, unknown> | undefined)?.verification;
}

describe('recorded package checks in a build', () => {
  it('puts the recorded proof under verification.packages and shows it on the server page', async () => {
    const root = fixtureRoot();
    mkdirSync(join(root, 'registry/verified/com.example'), { recursive: true });
    const stranger = { ...proof, identifier: 'not-listed-by-this-version' };
    writeFileSync(join(root, RECORD), serializeVerifiedFile('com.example/weather', { '1.1.0': [proof, stranger], '2.0.0-beta.1': [proof], '9.9.9': [proof] }));
    const { dist } = await buildFixture(root, 'node', join(root, 'dist'), [...API_EMITTERS, siteEmitter]);

    expect(verification(entry(dist, '1.1.0'))).toEqual({ packages: [{ ...proof, ok: true, record: RECORD }] });
    expect(verification(entry(dist, '2.0.0-beta.1'))).toEqual({ packages: [{ ...proof, ok: true, record: RECORD }] });
    expect(verification(entry(dist, '1.0.0'))).toBeUndefined();

    const html = readFileSync(join(dist, 'servers/com.example/weather/index.html'), 'utf8');
    expect(html).toContain(`npm weather: names this server back (npm mcpName, recorded in ${RECORD}).`);
    expect(html).toContain('2026-12-03T10:00:00Z');
    expect(html).not.toContain('not-listed-by-this-version');
  });

  it('claims nothing from a malformed record', async () => {
    const root = fixtureRoot();
    mkdirSync(join(root, 'registry/verified/com.example'), { recursive: true });
    writeFileSync(
      join(root, RECORD),
      'versions:\n  1.1.0:\n    - registryType: npm\n      identifier: weather\n      proved: OCI label\n      checkedAt: 2026-12-03T10:00:00Z\n',
    );
    const { dist } = await buildFixture(root);
    expect(verification(entry(dist, '1.1.0'))).toBeUndefined();
  });
});
