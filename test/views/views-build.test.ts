/**
 * Views (scripts/views/): two filtered registries built from one tree, each a full API below its own
 * base path, answered by a real `serve` process; exactly its servers in its API and its policy
 * outputs; the approved list in `_meta`; the same bytes on every build.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { RegistryConfig } from '../../scripts/config/registry-config.ts';
import type { ServerListResponse, ServerResponse } from '../../scripts/core/api-types.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { clientEmitter } from '../../scripts/emit/client-emitter.ts';
import { logEmitter } from '../../scripts/emit/log-emitter.ts';
import { API_EMITTERS, contractRoot, sortedPathDates, tempDir } from '../fixtures/api/build-fixture.ts';
import { describeHostContract } from '../hosts/host-contract.ts';

const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));
const EMITTERS = [...API_EMITTERS, clientEmitter, logEmitter];

const APPROVED = `com.example/weather:
  - versions: ["1.0.0"]
    by: alice
    at: "2026-11-30T10:00:00Z"
    note: reviewed in SEC-123
io.github.someone/plus:
  - versions: ["*"]
    by: bob
    at: 2026-11-29T09:00:00+01:00
`;

function viewsConfig(): RegistryConfig {
  const config = structuredClone(DEFAULT_CONFIG);
  config.extra = {
    views: [
      { name: 'all', title: 'Everything mirrored' },
      { name: 'production', title: 'Approved for production', approved: true },
      { name: 'example', policy: { deny: { namespaces: ['io.github.someone'] } } },
    ],
  };
  return config;
}

async function build(root: string, out: string) {
  const result = await buildRegistry({ root, config: viewsConfig(), host: 'node', out, dates: sortedPathDates, emitters: EMITTERS });
  if (!result.written) throw new Error(JSON.stringify(result.report.files.filter((f) => !f.ok)));
  return result;
}

function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!file.isFile()) continue;
    const path = join(file.parentPath, file.name);
    out[path.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

interface Served {
  url: string;
  stop: () => Promise<void>;
}

async function serve(dist: string): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => reject(new Error(chunk.toString())));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

let root: string;
let dist: string;
let served: Served;

beforeAll(async () => {
  root = contractRoot(20);
  writeFileSync(join(root, 'registry/approved.yaml'), APPROVED);
  dist = join(root, 'dist');
  await build(root, dist);
  served = await serve(dist);
});
afterAll(async () => {
  await served?.stop();
});

// The unfiltered view answers the whole contract, fixture-specific paths included, below /views/all.
describeHostContract('serve, view /views/all', async () => ({ baseUrl: `${served.url}/views/all`, dist: join(dist, 'views/all'), stop: async () => {} }));
// A filtered view answers it too, on data of its own.
describeHostContract(
  'serve, view /views/example',
  async () => ({ baseUrl: `${served.url}/views/example`, dist: join(dist, 'views/example'), stop: async () => {} }),
  ['other-data'],
);

async function names(base: string): Promise<string[]> {
  const body = (await (await fetch(`${base}/v0.1/servers?include_deleted=true&limit=100`)).json()) as ServerListResponse;
  return body.servers.map((s) => `${s.server.name}@${s.server.version}`);
}

describe('two views from one tree', () => {
  it('serve each with exactly its versions, and the registry itself with all of them', async () => {
    const everything = await names(served.url);
    expect(everything).toHaveLength(50);
    expect(await names(`${served.url}/views/all`)).toEqual(everything);
    expect(await names(`${served.url}/views/production`)).toEqual(['com.example/weather@1.0.0', 'io.github.someone/plus@1.0.0+build.1']);
    expect(await names(`${served.url}/views/example`)).toEqual(everything.filter((n) => !n.startsWith('io.github.someone/')));
  });

  it('choose latest among the versions the view serves', async () => {
    const latest = (await (await fetch(`${served.url}/views/production/v0.1/servers/com.example%2Fweather/versions/latest`)).json()) as ServerResponse;
    expect(latest.server.version).toBe('1.0.0');
    expect(latest._meta[OFFICIAL_META_KEY].isLatest).toBe(true);
    const registry = (await (await fetch(`${served.url}/v0.1/servers/com.example%2Fweather/versions/latest`)).json()) as ServerResponse;
    expect(registry.server.version).toBe('2.0.0-beta.1');
    const notInView = await fetch(`${served.url}/views/production/v0.1/servers/com.example%2Fweather/versions/1.1.0`);
    expect(notInView.status).toBe(404);
  });

  it('write policy outputs per view, for exactly its servers', () => {
    const allowed = (file: string) =>
      (JSON.parse(readFileSync(join(dist, file), 'utf8')) as { allowedMcpServers: Record<string, unknown>[] }).allowedMcpServers
        .flatMap((e) => (typeof e.serverName === 'string' ? [e.serverName] : []))
        .sort();
    expect(allowed('views/production/clients/managed-settings.json')).toEqual(['com.example/weather', 'io.github.someone/plus']);
    const example = allowed('views/example/clients/managed-settings.json');
    expect(example.slice(0, 2)).toEqual(['com.example/calendar', 'com.example/weather']);
    expect(example).toHaveLength(22);
    expect(example.some((n) => n.startsWith('io.github.someone/'))).toBe(false);
    expect(allowed('clients/managed-settings.json')).toContain('io.github.someone/old');
    const vscode = JSON.parse(readFileSync(join(dist, 'views/production/clients/vscode-settings.json'), 'utf8')) as Record<string, string>;
    expect(vscode['chat.mcp.gallery.serviceUrl']).toBe(`${DEFAULT_CONFIG.baseUrl}/views/production`);
  });

  it('list the views with their base URLs and counts in views.json', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'views.json'), 'utf8')) as { views: { name: string; baseUrl: string; versions: number }[] };
    expect(manifest.views.map((v) => [v.name, v.baseUrl, v.versions])).toEqual([
      ['all', `${DEFAULT_CONFIG.baseUrl}/views/all`, 50],
      ['production', `${DEFAULT_CONFIG.baseUrl}/views/production`, 2],
      ['example', `${DEFAULT_CONFIG.baseUrl}/views/example`, 46],
    ]);
  });

  it('carry who approved and when in _meta, in the registry and in every view', async () => {
    const meta = async (url: string) => ((await (await fetch(url)).json()) as ServerResponse)._meta[DEFAULT_CONFIG.metaNamespace] as Record<string, unknown>;
    const approved = { by: 'alice', at: '2026-11-30T10:00:00.000Z', note: 'reviewed in SEC-123' };
    expect((await meta(`${served.url}/v0.1/servers/com.example%2Fweather/versions/1.0.0`)).approved).toEqual(approved);
    expect((await meta(`${served.url}/views/production/v0.1/servers/com.example%2Fweather/versions/1.0.0`)).approved).toEqual(approved);
    expect((await meta(`${served.url}/v0.1/servers/com.example%2Fweather/versions/1.1.0`)).approved).toBeUndefined();
    expect((await meta(`${served.url}/v0.1/servers/io.github.someone%2Fplus/versions/latest`)).approved).toEqual({ by: 'bob', at: '2026-11-29T08:00:00.000Z' });
  });

  it('build the same bytes from the same tree', async () => {
    const again = join(tempDir('views-again'), 'dist');
    await build(root, again);
    expect(treeHashes(again)).toEqual(treeHashes(dist));
  });
});
