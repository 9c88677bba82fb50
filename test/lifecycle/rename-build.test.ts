import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestFile, RENAMES_FILE } from '../../scripts/api/api-layout.ts';
import { main } from '../../scripts/cli/main.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { defaultEmitters } from '../../scripts/emit/emitters.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { API_EMITTERS, serverDoc, tempDir } from '../fixtures/api/build-fixture.ts';
import { startNginxHost } from '../fixtures/api/nginx-process.ts';
import { startWorkerd } from '../fixtures/api/workerd-process.ts';
import { hasSystemServer, NGINX_NJS, WORKERD } from '../helpers/system-server.ts';

const OLD = 'com.example/old-weather';
const NEW = 'com.example/weather';
const META = DEFAULT_CONFIG.metaNamespace;
let root: string;
let dist: string;
let server: Server;
let base: string;

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' });

function publish(name: string, version: string): void {
  const dir = join(root, 'servers', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${version}.json`), `${JSON.stringify(serverDoc(name, version, `${name} ${version}`), null, 2)}\n`);
}

interface Answer {
  server: { name: string; version: string };
  _meta: Record<string, Record<string, unknown> | undefined>;
}
interface Body extends Answer {
  servers: Answer[];
}

async function get(path: string): Promise<{ status: number; body: Body | undefined }> {
  const r = await request(base + path);
  const text = await r.body.text();
  return { status: r.statusCode, body: text === '' ? undefined : (JSON.parse(text) as Body) };
}

beforeAll(async () => {
  root = tempDir('rename-build');
  git('init', '-q');
  publish(OLD, '0.9.0');
  publish(OLD, '1.0.0');
  publish(NEW, '1.0.0');
  publish(NEW, '2.0.0');
  git('add', 'servers');
  git('commit', '-q', '-m', 'servers');
  const io = { stdout: () => {}, stderr: (t: string) => process.stderr.write(t), cwd: root, env: {} };
  expect(await main(['rename', OLD, NEW, '--now', '2026-03-01T10:00:00Z'], io)).toBe(0);
  git('add', 'registry');
  git('commit', '-q', '-m', 'rename');
  const built = await buildRegistry({ root, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: defaultEmitters });
  expect(built.report.ok).toBe(true);
  dist = join(root, 'dist');
  server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1' });
  base = (await listen(server, 0, '127.0.0.1')).url;
}, 300_000);

afterAll(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  rmSync(root, { recursive: true, force: true });
});

describe('a merged rename, built and served', () => {
  it('answers the old name’s latest with the new name’s latest, its _meta saying it moved', async () => {
    for (const v of ['v0.1', 'v0']) {
      const r = await get(`/${v}/servers/${encodeURIComponent(OLD)}/versions/latest`);
      expect(r.status).toBe(200);
      expect(r.body?.server.name).toBe(NEW);
      expect(r.body?.server.version).toBe('2.0.0');
      expect(r.body?._meta[META]).toMatchObject({ renamedAt: '2026-03-01T10:00:00Z', renamedFrom: OLD, renamedTo: NEW });
      expect(r.body?._meta['io.modelcontextprotocol.registry/official']?.isLatest).toBe(true);
    }
  });

  it('answers the old name’s versions and each version with the new name’s', async () => {
    const list = await get(`/v0.1/servers/${encodeURIComponent(OLD)}/versions`);
    expect(list.body?.servers.map((s) => `${s.server.name}@${s.server.version}`)).toEqual([`${NEW}@2.0.0`, `${NEW}@1.0.0`, `${OLD}@0.9.0`]);
    const one = await get(`/v0.1/servers/${encodeURIComponent(OLD)}/versions/1.0.0`);
    expect(one.body?.server.name).toBe(NEW);
    // The new name's own answers do not say they moved.
    const own = await get(`/v0.1/servers/${encodeURIComponent(NEW)}/versions/latest`);
    expect(own.body?._meta[META]?.renamedFrom).toBeUndefined();
  });

  it('keeps answering a version only the old name published, under the old name, as no longer the latest', async () => {
    const kept = await get(`/v0.1/servers/${encodeURIComponent(OLD)}/versions/0.9.0`);
    expect(kept.status).toBe(200);
    expect(kept.body?.server).toMatchObject({ name: OLD, version: '0.9.0' });
    expect(kept.body?._meta[META]).toMatchObject({ renamedAt: '2026-03-01T10:00:00Z', renamedFrom: OLD, renamedTo: NEW });
    expect(kept.body?._meta['io.modelcontextprotocol.registry/official']?.isLatest).toBe(false);
    // The new name does not claim a version it never published.
    expect((await get(`/v0.1/servers/${encodeURIComponent(NEW)}/versions/0.9.0`)).status).toBe(404);
  });

  it('lists one server, not two', async () => {
    const latest = await get('/v0.1/servers?version=latest');
    expect(latest.body?.servers.map((s) => s.server.name)).toEqual([NEW]);
    const all = await get('/v0.1/servers');
    expect(new Set(all.body?.servers.map((s) => s.server.name))).toEqual(new Set([NEW]));
    expect(all.body?.servers.map((s) => s.server.version)).toEqual(['1.0.0', '2.0.0']);
  });

  it('writes the old name’s static answers, the renames file and a site page that sends browsers to the new one', () => {
    const file = latestFile(OLD) as string;
    expect(JSON.parse(readFileSync(join(dist, file), 'utf8')).server.name).toBe(NEW);
    const renames = JSON.parse(readFileSync(join(dist, RENAMES_FILE), 'utf8'));
    expect(renames.metaKey).toBe(META);
    expect(
      renames.renames.map((r: { from: string; to: string; renamedAt: string; kept: Answer[] }) => [
        r.from,
        r.to,
        r.renamedAt,
        r.kept.map((k) => k.server.version),
      ]),
    ).toEqual([[OLD, NEW, '2026-03-01T10:00:00Z', ['0.9.0']]]);
    const page = readFileSync(join(dist, 'servers', OLD, 'index.html'), 'utf8');
    expect(page).toContain('<meta http-equiv="refresh" content="0; url=../../../servers/com.example/weather/">');
    expect(existsSync(join(dist, 'servers', NEW, 'index.html'))).toBe(true);
    // The relative target resolves to the new page from the old page's folder.
    expect(existsSync(join(dist, 'servers', OLD, '../../../servers/com.example/weather/index.html'))).toBe(true);
  });

  it('records the rename on the changes page and in the Atom feed', () => {
    const feed = readFileSync(join(dist, 'feed.xml'), 'utf8');
    expect(feed).toContain(`<title>Renamed: ${OLD} → ${NEW}</title>`);
    expect(feed).toContain(`<updated>2026-03-01T10:00:00Z</updated>`);
    expect(feed).toContain(`/servers/${NEW}/#renamed-${encodeURIComponent(OLD)}</id>`);
    const page = readFileSync(join(dist, 'changes', 'index.html'), 'utf8');
    expect(page).toContain('Renamed');
    expect(page).toContain(`${OLD} was renamed to ${NEW}`);
  });

  it('reports health with the servers that exist, not their old names', async () => {
    const health = JSON.parse(readFileSync(join(dist, 'v0.1/health.json'), 'utf8'));
    expect(health.servers).toBe(1);
  });
});

/** The same registry built for the static hosts: the old name's answers are files there too. */
async function buildFor(host: 'github-pages' | 'nginx' | 'cloudflare'): Promise<string> {
  const out = join(root, `dist-${host}`);
  const built = await buildRegistry({ root, config: structuredClone(DEFAULT_CONFIG), host, out, emitters: API_EMITTERS });
  expect(built.report.ok).toBe(true);
  return out;
}

describe('a merged rename on the static hosts', () => {
  it('lays the old name’s answers out like their URLs for GitHub Pages', async () => {
    const out = await buildFor('github-pages');
    const latest = JSON.parse(readFileSync(join(out, 'v0.1/servers', OLD, 'versions/latest.json'), 'utf8'));
    expect(latest.server.name).toBe(NEW);
    expect(latest._meta[META].renamedFrom).toBe(OLD);
    const kept = JSON.parse(readFileSync(join(out, 'v0.1/servers', OLD, 'versions/0.9.0.json'), 'utf8'));
    expect(kept.server.name).toBe(OLD);
  });

  describe.skipIf(!hasSystemServer(WORKERD, 'old names served by the Cloudflare worker in workerd'))('served by the Cloudflare worker in workerd', () => {
    it('answers the old name’s latest with the new name’s, and lists only the new name', async () => {
      const worker = await startWorkerd(await buildFor('cloudflare'));
      try {
        const r = await request(`${worker.baseUrl}/v0.1/servers/${encodeURIComponent(OLD)}/versions/latest`);
        expect(r.statusCode).toBe(200);
        const body = (await r.body.json()) as Answer;
        expect(body.server.name).toBe(NEW);
        expect(body._meta[META]?.renamedFrom).toBe(OLD);
        const kept = await request(`${worker.baseUrl}/v0.1/servers/${encodeURIComponent(OLD)}/versions/0.9.0`);
        expect(kept.statusCode).toBe(200);
        expect(((await kept.body.json()) as Answer).server).toMatchObject({ name: OLD, version: '0.9.0' });
        const list = await request(`${worker.baseUrl}/v0.1/servers?search=weather`);
        const names = ((await list.body.json()) as { servers: Answer[] }).servers.map((s) => s.server.name);
        expect(names).toContain(NEW);
        expect(names).not.toContain(OLD);
      } finally {
        await worker.stop();
      }
    });
  });

  describe.skipIf(!hasSystemServer(NGINX_NJS, 'old names served by Debian nginx'))('served by Debian nginx', () => {
    it('answers the old name’s latest with the new name’s', async () => {
      const nginx = await startNginxHost(await buildFor('nginx'));
      try {
        const r = await request(`${nginx.baseUrl}/v0.1/servers/${encodeURIComponent(OLD)}/versions/latest`);
        expect(r.statusCode).toBe(200);
        const body = (await r.body.json()) as Answer;
        expect(body.server.name).toBe(NEW);
        expect(body._meta[META]?.renamedTo).toBe(NEW);
        const kept = await request(`${nginx.baseUrl}/v0.1/servers/${encodeURIComponent(OLD)}/versions/0.9.0`);
        expect(kept.statusCode).toBe(200);
        expect(((await kept.body.json()) as Answer).server).toMatchObject({ name: OLD, version: '0.9.0' });
      } finally {
        await nginx.stop();
      }
    });
  });
});

describe('rename records the build does not follow', () => {
  it('leaves the old name answering as before when the new name publishes nothing, and refuses an unreadable record', async () => {
    const dir = tempDir('rename-unfollowed');
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      const server = join(dir, 'servers', OLD);
      mkdirSync(server, { recursive: true });
      writeFileSync(join(server, '1.0.0.json'), JSON.stringify(serverDoc(OLD, '1.0.0', 'old')));
      const records = join(dir, 'registry/renames/com.example');
      mkdirSync(records, { recursive: true });
      writeFileSync(join(records, 'old-weather.yaml'), `renamedTo: ${NEW}\nrenamedAt: 2026-03-01T10:00:00Z\nrenamedBy: owner\n`);
      const built = await buildRegistry({ root: dir, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
      expect(built.report.ok).toBe(true);
      const latest = JSON.parse(readFileSync(join(dir, 'dist', latestFile(OLD) as string), 'utf8'));
      expect(latest.server.name).toBe(OLD);
      expect(latest._meta[META]?.renamedFrom).toBeUndefined();
      expect(existsSync(join(dir, 'dist', RENAMES_FILE))).toBe(false);

      writeFileSync(join(records, 'old-weather.yaml'), 'renamedTo: not a name\n');
      const bad = await buildRegistry({ root: dir, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
      expect(bad.report.ok).toBe(false);
      const file = bad.report.files.find((f) => f.path === 'registry/renames/com.example/old-weather.yaml');
      expect(file?.diagnostics.map((d) => d.code)).toEqual(['lifecycle/shape']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
