/**
 * `mcp-registry verify --record` against a real npm registry stand-in on 127.0.0.1: a version that passed gets
 * its packages' back-references written to registry/verified/<ns>/<name>.yaml; a version that failed gets none.
 * And the record's parser: deterministic text, and a schema that refuses a claim the verify stage never makes.
 */
import { request as httpRequest } from 'node:http';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Document } from 'yaml';
import { main } from '../../scripts/cli/main.ts';
import { parseVerifiedFile, serializeVerifiedFile, verifiedPath, verifiedServer } from '../../scripts/state/verified-file.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import { startVerdaccio } from '../helpers/verdaccio.ts';
import type { StartedVerdaccio } from '../helpers/verdaccio.ts';

const fixtures = fileURLToPath(new URL('../fixtures/verify/', import.meta.url));
const RECORD = 'registry/verified/io.github.acme/weather.yaml';

let root: string;
let npm: StartedVerdaccio;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: root,
    env: {},
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'verify-record-'));
  await cp(fixtures, root, { recursive: true });
  npm = await startVerdaccio();
  await npm.publish({ name: '@acme/weather', version: '1.0.0', mcpName: 'io.github.acme/weather' });
  await npm.publish({ name: 'plain-weather', version: '2.0.0' });
}, 60_000);

afterAll(async () => {
  await npm?.close();
  await rm(root, { recursive: true, force: true });
});

describe('mcp-registry verify --record', () => {
  it('records the npm mcpName proof of a version that passed, and nothing for one that failed', async () => {
    const before = Date.now();
    const result = await cli(['verify', 'servers/io.github.acme', '--published', '--record', '--no-cache', '--endpoint', `npm=${npm.origin}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/verify\/npm-mcpname-missing/);
    expect(result.stderr).toBe(`recorded ${RECORD}\n`);
    const text = await readFile(join(root, RECORD), 'utf8');
    const parsed = parseVerifiedFile(text);
    expect(parsed.diagnostics).toEqual([]);
    expect(Object.keys(parsed.value ?? {})).toEqual(['1.0.0']);
    const [pkg] = parsed.value?.['1.0.0'] ?? [];
    expect(pkg).toMatchObject({ registryType: 'npm', identifier: '@acme/weather', proved: 'npm mcpName' });
    const at = Date.parse(pkg?.checkedAt ?? '');
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    await expect(readFile(join(root, 'registry/verified/io.github.acme/plain.yaml'))).rejects.toThrow(/ENOENT/);
  });

  it('keeps other versions already recorded and replaces the one re-verified', async () => {
    const old = { registryType: 'npm', identifier: '@acme/weather', proved: 'npm mcpName', checkedAt: '2020-01-01T00:00:00Z' };
    await writeFile(join(root, RECORD), serializeVerifiedFile('io.github.acme/weather', { '0.9.0': [old], '1.0.0': [old] }));
    const result = await cli(['verify', 'servers/io.github.acme/weather', '--published', '--record', '--endpoint', `npm=${npm.origin}`]);
    expect(result.code).toBe(0);
    const value = parseVerifiedFile(await readFile(join(root, RECORD), 'utf8')).value ?? {};
    expect(value['0.9.0']).toEqual([old]);
    expect(value['1.0.0']?.[0]?.checkedAt).not.toBe(old.checkedAt);
  });

  it('asks the package registry again rather than trust the proof cache', async () => {
    let asked = 0;
    const counting = await startHttpServer((req, res) => {
      asked += 1;
      const upstream = httpRequest(`${npm.origin}${req.url}`, { headers: { accept: 'application/json' } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.end();
    });
    try {
      const args = ['verify', 'servers/io.github.acme/weather', '--published', '--endpoint', `npm=${counting.origin}`];
      const first = await cli(args);
      const cached = await cli(args);
      expect([first.code, cached.code, asked]).toEqual([0, 0, 1]);
      const recorded = await cli([...args, '--record']);
      expect([recorded.code, asked]).toEqual([0, 2]);
    } finally {
      await counting.close();
    }
  });

  it('refuses to overwrite a record it cannot read, and records nothing without --record', async () => {
    await writeFile(join(root, RECORD), 'versions: [1, 2]\n');
    const broken = await cli(['verify', 'servers/io.github.acme/weather', '--published', '--record', '--endpoint', `npm=${npm.origin}`]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/registry\/verified\/io\.github\.acme\/weather\.yaml is not a valid verified record/);
    expect(await readFile(join(root, RECORD), 'utf8')).toBe('versions: [1, 2]\n');
    await rm(join(root, RECORD));
    const plain = await cli(['verify', 'servers/io.github.acme/weather', '--published', '--endpoint', `npm=${npm.origin}`]);
    expect(plain.code).toBe(0);
    await expect(readFile(join(root, RECORD))).rejects.toThrow(/ENOENT/);
  });
});

describe('registry/verified record file', () => {
  const pkg = {
    registryType: 'oci',
    identifier: 'ghcr.io/acme/weather:1.0.0',
    proved: 'OCI label io.modelcontextprotocol.server.name',
    checkedAt: '2026-12-03T10:00:00Z',
  };

  it('is deterministic: versions sorted, keys in a fixed order, and it parses back', () => {
    const a = serializeVerifiedFile('io.github.Acme/Weather', { '2.0.0': [pkg], '1.0.0': [pkg] });
    const b = serializeVerifiedFile('io.github.acme/weather', {
      '1.0.0': [{ checkedAt: pkg.checkedAt, proved: pkg.proved, identifier: pkg.identifier, registryType: 'oci' }],
      '2.0.0': [pkg],
    });
    expect(a).toBe(b);
    expect(a.indexOf('1.0.0:')).toBeLessThan(a.indexOf('2.0.0:'));
    expect(parseVerifiedFile(a)).toEqual({ value: { '1.0.0': [pkg], '2.0.0': [pkg] }, diagnostics: [] });
    expect(verifiedPath('io.github.Acme/Weather')).toBe(RECORD);
    expect(verifiedServer(RECORD)).toBe('io.github.acme/weather');
    expect(verifiedServer('registry/status/io.github.acme/weather.yaml')).toBeUndefined();
  });

  it.each([
    ['a proof the verify stage does not make', { ...pkg, proved: 'npm mcpName' }, /a package of type oci cannot be proved by "npm mcpName"/],
    ['a time that is not UTC RFC 3339', { ...pkg, checkedAt: 'yesterday' }, /checkedAt must be an RFC 3339 UTC time/],
    ['an unknown key', { ...pkg, ok: 'true' }, /has only registryType, identifier, proved, checkedAt/],
    ['no identifier', { ...pkg, identifier: '' }, /names its registryType, identifier/],
  ])('refuses %s', (_what, bad, message) => {
    const text = new Document({ versions: { '1.0.0': [bad] } }).toString();
    const parsed = parseVerifiedFile(text);
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'lifecycle/shape' });
    expect(parsed.diagnostics[0]?.message).toMatch(message);
  });

  it('refuses YAML that is not a mapping of versions', () => {
    expect(parseVerifiedFile('versions: [1, 2]\n').diagnostics[0]?.code).toBe('lifecycle/shape');
    expect(parseVerifiedFile('versions: {a: 1\n').diagnostics[0]?.code).toBe('lifecycle/yaml');
    expect(parseVerifiedFile('other: 1\n').diagnostics[0]?.code).toBe('lifecycle/shape');
  });
});
