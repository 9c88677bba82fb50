import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';

let root: string;
let out = '';
let err = '';
const io = () => ({
  stdout: (t: string) => {
    out += t;
  },
  stderr: (t: string) => {
    err += t;
  },
  cwd: root,
  env: {},
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-sync-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('mcp-registry sync and import commands', () => {
  it('sync --from mirrors an upstream and prints what it did', async () => {
    const upstream = await startUpstream({ entries: [makeEntry(0), makeEntry(1)] });
    try {
      const code = await main(['sync', '--from', upstream.url], io());
      expect(code).toBe(0);
      expect(out).toMatch(/^sync full: 1 pages, 1 requests, \d+ bytes; 2 entries fetched, 2 added/);
      expect(existsSync(join(root, 'servers/io.github.upstream-org/server-00001/1.0.0.json'))).toBe(true);
    } finally {
      await upstream.close();
    }
  });

  it('sync names the entries the policy left out and why', async () => {
    writeFileSync(join(root, 'registry.config.yaml'), "policy:\n  deny:\n    names: ['*/server-00001']\n");
    const upstream = await startUpstream({ entries: [makeEntry(0), makeEntry(1)] });
    try {
      expect(await main(['sync', '--from', upstream.url], io())).toBe(0);
      expect(out).toContain("left out (1): name matches policy.deny.names '*/server-00001': io.github.upstream-org/server-00001@1.0.0\n");
    } finally {
      await upstream.close();
    }
  });

  it('sync exits 2 for a --since that is not RFC 3339', async () => {
    expect(await main(['sync', '--from', 'http://127.0.0.1:9', '--since', 'yesterday'], io())).toBe(2);
    expect(err).toMatch(/--since must be an RFC 3339 time/);
  });

  it('sync exits 2 when nothing listens at --from', async () => {
    const gone = await startHttpServer(() => undefined);
    await gone.close();
    expect(await main(['sync', '--from', gone.origin], io())).toBe(2);
    expect(err).toMatch(/ECONNREFUSED/);
    expect(out).toBe('');
  });

  it('sync exits 1 when the upstream answers with a failure, whatever its URL reads like', async () => {
    // The exit code comes from the client's failure code, not from the text: this URL names a network error.
    const failing = await startHttpServer((_req, res) => {
      res.writeHead(503, { 'retry-after': '3600' });
      res.end();
    });
    try {
      expect(await main(['sync', '--from', `${failing.origin}/ECONNREFUSED/does-not-resolve`], io())).toBe(1);
      expect(out).toContain('sync/http');
      expect(out).toContain('503 with Retry-After');
      expect(err).toBe('');
    } finally {
      await failing.close();
    }
  });

  it('sync exits 2 without --from', async () => {
    expect(await main(['sync'], io())).toBe(2);
    expect(err).toMatch(/--from URL is required/);
  });

  it('import exits 1 when entries are quarantined, naming the report', async () => {
    const file = fileURLToPath(new URL('../fixtures/import/hostile-array.json', import.meta.url));
    expect(await main(['import', file], io())).toBe(1);
    expect(out).toMatch(/1 added, 0 already present, 0 left out by policy, 3 quarantined \(see registry\/quarantine\/import-hostile-array.json\)/);
  });

  it('import exits 2 for a missing file', async () => {
    expect(await main(['import', join(root, 'nope.json')], io())).toBe(2);
    expect(err).toMatch(/cannot read/);
  });
});
