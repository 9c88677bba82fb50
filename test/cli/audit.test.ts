import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import audit from '../../scripts/cli/commands/audit.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { apiEmitter } from '../../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { logEmitter } from '../../scripts/emit/log-emitter.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { fixtureRoot, serverDoc, sortedPathDates, tempDir } from '../fixtures/api/build-fixture.ts';

async function build(root: string, out: string, pem: string): Promise<string> {
  const result = await buildRegistry({
    root,
    config: structuredClone(DEFAULT_CONFIG),
    host: 'node',
    out,
    dates: sortedPathDates,
    emitters: [apiEmitter, logEmitter],
    logKey: pem,
  });
  if (!result.written) throw new Error('fixture build failed');
  return out;
}

/** A plain static server over one folder, on 127.0.0.1. */
function serveDir(dir: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    try {
      const body = readFileSync(join(dir(), path));
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await audit.run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let served = '';
let url = '';
let server: Server;
let vkey = '';
let root = '';

beforeAll(async () => {
  root = fixtureRoot();
  served = await build(root, join(root, 'dist'), pem);
  vkey = readFileSync(join(served, 'log/key'), 'utf8').trim();
  ({ server, url } = await serveDir(() => served));
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('mcp-registry audit', () => {
  it('accepts the log a build served, signed by the pinned key, and saves its checkpoint', async () => {
    const cwd = tempDir('audit');
    const r = await run(['--from', url, '--key', vkey, '--save', 'seen.checkpoint'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^127\.0\.0\.1:4321\/log: 10 entries, root .+\nsigned by 127\.0\.0\.1:4321\n10 served server\.json files hash to their entries\n$/,
    );
    expect(readFileSync(join(cwd, 'seen.checkpoint'), 'utf8')).toBe(readFileSync(join(served, 'log/checkpoint'), 'utf8'));
    const again = await run(['--from', url, '--key', vkey, '--since', 'seen.checkpoint', '--format', 'json'], cwd);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, size: 10, consistentWith: 10, files: { checked: 10, notServed: 0 } });
  });

  it('accepts the log as mcp-registry serve serves it', async () => {
    const registry = createRegistryServer({ dist: served, data: await loadApiData(served), port: 0, host: '127.0.0.1' });
    const { url: serveUrl } = await listen(registry, 0, '127.0.0.1');
    try {
      const r = await run(['--from', serveUrl, '--key', vkey, '--format', 'json'], tempDir('audit'));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, size: 10, signedBy: ['127.0.0.1:4321'] });
    } finally {
      registry.closeAllConnections();
      await new Promise<void>((done) => registry.close(() => done()));
    }
  });

  it('says the signature was not checked without --key', async () => {
    const r = await run(['--from', url], tempDir('audit'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('signature NOT checked');
  });

  it('refuses another key, a changed entry, a changed tile and a changed checkpoint', async () => {
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const otherRoot = fixtureRoot();
    const otherDist = await build(otherRoot, join(otherRoot, 'dist'), other);
    const otherKey = readFileSync(join(otherDist, 'log/key'), 'utf8').trim();
    const cwd = tempDir('audit');
    const wrongKey = await run(['--from', url, '--key', otherKey], cwd);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('the checkpoint is not signed by');

    const tamper = async (file: string, change: (b: Buffer) => Buffer) => {
      const copy = fixtureRoot();
      const dist = await build(root, join(copy, 'dist'), pem);
      writeFileSync(join(dist, 'log', file), change(readFileSync(join(dist, 'log', file))));
      served = dist;
      return run(['--from', url, '--key', vkey], cwd);
    };
    const original = served;
    try {
      const entry = await tamper('tile/entries/000.p/10', (b) => Buffer.from(b.toString('latin1').replace('"1.0.0"', '"1.0.1"'), 'latin1'));
      expect(entry.code).toBe(1);
      expect(entry.stderr).toContain('does not hash to leaf');
      const tile = await tamper('tile/0/000.p/10', (b) => {
        b[0] = b[0]! ^ 1;
        return b;
      });
      expect(tile.code).toBe(1);
      expect(tile.stderr).toContain('does not hash to leaf 0');
      const file = await tamper('servers/com.example@weather@1.0.0.json', (b) => Buffer.from(b.toString('utf8').replace('"1.0.0"', '"1.0.1"')));
      expect(file.code).toBe(1);
      expect(file.stderr).toMatch(
        /\(com\.example\/weather 1\.0\.0\): the served servers\/com\.example@weather@1\.0\.0\.json does not hash to the logged sha256/,
      );
      rmSync(join(served, 'log/servers/com.example@calendar@1.0.0.json'));
      const gone = await run(['--from', url, '--key', vkey], cwd);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/\(com\.example\/calendar 1\.0\.0\): its server\.json is not served: GET .+ → 404/);
      const checkpoint = await tamper('checkpoint', (b) => Buffer.from(b.toString('utf8').replace('\n10\n', '\n9\n')));
      expect(checkpoint.code).toBe(1);
      expect(checkpoint.stderr).toContain('not signed by');
    } finally {
      served = original;
    }
  });

  it('accepts an honest extension of a checkpoint seen before, and catches a rewritten or forked history', async () => {
    const cwd = tempDir('audit');
    writeFileSync(join(cwd, 'seen.checkpoint'), readFileSync(join(served, 'log/checkpoint')));
    // The registry grows: a new server, published last, is appended.
    const grown = fixtureRoot();
    mkdirSync(join(grown, 'servers/zz.example/late'), { recursive: true });
    writeFileSync(join(grown, 'servers/zz.example/late/1.0.0.json'), JSON.stringify(serverDoc('zz.example/late', '1.0.0', 'Published last')));
    const grownDist = await build(grown, join(grown, 'dist'), pem);
    // Someone rewrote one published server.json in history.
    const forked = fixtureRoot();
    const weather = join(forked, 'servers/com.example/weather');
    const file = join(
      weather,
      readdirSync(weather)
        .filter((f) => f.endsWith('.json'))
        .sort()[0]!,
    );
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"description": ?"/, '$&rewritten '));
    const forkDist = await build(forked, join(forked, 'dist'), pem);
    writeFileSync(join(cwd, 'fork.checkpoint'), readFileSync(join(forkDist, 'log/checkpoint')));
    const original = served;
    try {
      served = grownDist;
      const honest = await run(['--from', url, '--key', vkey, '--since', 'seen.checkpoint'], cwd);
      expect(honest.stderr).toBe('');
      expect(honest.code).toBe(0);
      expect(honest.stdout).toContain('11 entries');
      expect(honest.stdout).toContain('extends the previous checkpoint of 10 entries');
      const rewritten = await run(['--from', url, '--key', vkey, '--since', 'fork.checkpoint'], cwd);
      expect(rewritten.code).toBe(1);
      expect(rewritten.stderr).toContain('history was rewritten');
      served = original;
      const fork = await run(['--from', url, '--key', vkey, '--since', 'fork.checkpoint'], cwd);
      expect(fork.code).toBe(1);
      expect(fork.stderr).toContain('the log forked');
      served = forkDist;
      const shrank = await run(['--from', url, '--key', vkey, '--since', join(grownDist, 'log/checkpoint')], cwd);
      expect(shrank.code).toBe(1);
      expect(shrank.stderr).toContain('history was dropped');
    } finally {
      served = original;
    }
  });

  it('rotates the key: both keys sign while it overlaps, an auditor moves its pin across without a gap', async () => {
    const next = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cwd = tempDir('audit');
    const overlap = fixtureRoot();
    const overlapDist = await build(overlap, join(overlap, 'dist'), `${pem}${next}`);
    const keys = readFileSync(join(overlapDist, 'log/key'), 'utf8').trim().split('\n');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(vkey);
    expect(readFileSync(join(overlapDist, 'log/checkpoint'), 'utf8').match(/^\u2014 /gm)).toHaveLength(2);
    const original = served;
    try {
      served = overlapDist;
      // An auditor pinning the old key still verifies, and saves a checkpoint the new key signed too.
      const old = await run(['--from', url, '--key', vkey, '--save', 'overlap.checkpoint'], cwd);
      expect(old.code).toBe(0);
      const both = await run(['--from', url, '--key', vkey, '--key', keys[1]!, '--format', 'json'], cwd);
      expect(JSON.parse(both.stdout).signedBy).toEqual(['127.0.0.1:4321', '127.0.0.1:4321']);
      // After the overlap only the new key signs: the old pin fails, the new one verifies against the saved checkpoint.
      const after = fixtureRoot();
      served = await build(after, join(after, 'dist'), next);
      const stale = await run(['--from', url, '--key', vkey], cwd);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain('the checkpoint is not signed by');
      const moved = await run(['--from', url, '--key', keys[1]!, '--since', 'overlap.checkpoint'], cwd);
      expect(moved.stderr).toBe('');
      expect(moved.code).toBe(0);
    } finally {
      served = original;
    }
  });

  it('exits 2 for a bad key and for an unreachable server', async () => {
    await expect(run(['--from', url, '--key', 'nonsense'], tempDir('audit'))).rejects.toMatchObject({ kind: 'usage' });
    await expect(run(['--from', 'http://127.0.0.1:1'], tempDir('audit'))).rejects.toMatchObject({ kind: 'environment' });
  });
});
