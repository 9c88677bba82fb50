/**
 * `sync` mirrors the renames of an upstream of ours: a registry with a merged rename, built and served by our
 * serve on 127.0.0.1, synced into an empty mirror, which then answers the old name as the upstream does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_FILE, latestFile, versionFile } from '../../scripts/api/api-layout.ts';
import { main } from '../../scripts/cli/main.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { keptResponses, mirroredRenames, parseUpstreamRenames } from '../../scripts/lifecycle/mirror-renames.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { serializeRenameFile } from '../../scripts/state/rename-file.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { API_EMITTERS, serverDoc, tempDir } from '../fixtures/api/build-fixture.ts';

const OLD = 'com.example/old-weather';
const NEW = 'com.example/weather';
const RECORD = 'registry/renames/com.example/old-weather.yaml';
let source: string;
let server: Server;
let url: string;

function publish(root: string, name: string, version: string): void {
  const dir = join(root, 'servers', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${version}.json`), `${JSON.stringify(serverDoc(name, version, `${name} ${version}`), null, 2)}\n`);
}

async function sync(mirror: string) {
  const fetcher = createPageFetcher({ from: url });
  try {
    return await runSync({ root: mirror, from: url, config: structuredClone(DEFAULT_CONFIG), validate: validateDocument, fetchPage: fetcher.fetchPage });
  } finally {
    await fetcher.close();
  }
}

beforeAll(async () => {
  source = tempDir('rename-sync-src');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: source });
  git('init', '-q');
  publish(source, OLD, '1.0.0');
  publish(source, NEW, '2.0.0');
  git('add', 'servers');
  git('commit', '-q', '-m', 'servers');
  const io = { stdout: () => {}, stderr: (t: string) => process.stderr.write(t), cwd: source, env: {} };
  expect(await main(['rename', OLD, NEW, '--now', '2026-03-01T10:00:00Z'], io)).toBe(0);
  const built = await buildRegistry({ root: source, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
  expect(built.report.ok).toBe(true);
  const dist = join(source, 'dist');
  server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1' });
  url = (await listen(server, 0, '127.0.0.1')).url;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  rmSync(source, { recursive: true, force: true });
});

describe('sync from an upstream of ours with a rename', () => {
  it('records the upstream’s rename, and the mirror then answers the old name with the new name’s latest', async () => {
    const mirror = tempDir('rename-sync-dst');
    try {
      const outcome = await sync(mirror);
      expect(outcome.report.ok).toBe(true);
      expect(outcome.written).toContain(RECORD);
      // The upstream lists only the new name, but keeps OLD 1.0.0 (NEW never published it) in renames.json:
      // the mirror takes it in like a listed entry, with provenance, so it answers it as the upstream does.
      expect(outcome.written).toContain(`servers/${OLD}/1.0.0.json`);
      expect(existsSync(join(mirror, 'registry/upstream', `${OLD}.yaml`))).toBe(true);
      expect(readFileSync(join(mirror, RECORD), 'utf8')).toBe(
        serializeRenameFile({ from: OLD, to: NEW, renamedAt: '2026-03-01T10:00:00Z', renamedBy: 'maintainer' }),
      );

      const built = await buildRegistry({ root: mirror, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
      expect(built.report.ok).toBe(true);
      const latest = JSON.parse(readFileSync(join(mirror, 'dist', latestFile(OLD) as string), 'utf8'));
      expect(latest.server.name).toBe(NEW);
      expect(latest._meta[DEFAULT_CONFIG.metaNamespace].renamedFrom).toBe(OLD);
      const kept = JSON.parse(readFileSync(join(mirror, 'dist', versionFile(OLD, '1.0.0') as string), 'utf8'));
      expect(kept.server.name).toBe(OLD);
      expect(kept._meta[DEFAULT_CONFIG.metaNamespace].renamedTo).toBe(NEW);
      // Still one server in the list, as upstream.
      const list = JSON.parse(readFileSync(join(mirror, 'dist', LIST_FILE), 'utf8'));
      expect(list.servers.map((e: { server: { name: string } }) => e.server.name)).toEqual([NEW]);

      const again = await sync(mirror);
      expect(again.written).not.toContain(RECORD);
    } finally {
      rmSync(mirror, { recursive: true, force: true });
    }
  });

  it('leaves a rename the mirror records differently alone, saying so', async () => {
    const mirror = tempDir('rename-sync-own');
    try {
      mkdirSync(join(mirror, 'registry/renames/com.example'), { recursive: true });
      const own = serializeRenameFile({ from: OLD, to: 'com.example/other', renamedAt: '2026-02-01T10:00:00Z', renamedBy: 'maintainer' });
      writeFileSync(join(mirror, RECORD), own);
      const outcome = await sync(mirror);
      expect(readFileSync(join(mirror, RECORD), 'utf8')).toBe(own);
      const notes = outcome.report.files.flatMap((f) => f.diagnostics).filter((d) => d.code === 'sync/rename-conflict');
      expect(notes.map((d) => d.severity)).toEqual(['warning']);
      expect(notes[0]?.message).toContain(`the upstream renamed ${OLD} to ${NEW}`);
    } finally {
      rmSync(mirror, { recursive: true, force: true });
    }
  });
});

describe('a mirror that synced before the upstream renamed', () => {
  it('keeps the old name’s versions on a full walk (the upstream still answers them) and records the rename', async () => {
    const before = tempDir('rename-sync-before');
    const mirror = tempDir('rename-sync-early');
    try {
      // The upstream as it was before the rename: both names listed.
      publish(before, OLD, '1.0.0');
      publish(before, NEW, '2.0.0');
      const old = await buildRegistry({ root: before, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
      expect(old.report.ok).toBe(true);
      const early = createRegistryServer({ dist: join(before, 'dist'), data: await loadApiData(join(before, 'dist')), port: 0, host: '127.0.0.1' });
      const earlyUrl = (await listen(early, 0, '127.0.0.1')).url;
      const fetcher = createPageFetcher({ from: earlyUrl });
      try {
        // Provenance names the upstream by its address: the later sync must come from the same one.
        const first = await runSync({
          root: mirror,
          from: earlyUrl,
          config: structuredClone(DEFAULT_CONFIG),
          validate: validateDocument,
          fetchPage: fetcher.fetchPage,
        });
        expect(first.report.ok).toBe(true);
        expect(existsSync(join(mirror, 'servers', OLD, '1.0.0.json'))).toBe(true);
        // The same address now serves the renamed registry.
        early.close();
        const port = new URL(earlyUrl).port;
        const later = createRegistryServer({
          dist: join(source, 'dist'),
          data: await loadApiData(join(source, 'dist')),
          port: Number(port),
          host: '127.0.0.1',
        });
        await listen(later, Number(port), '127.0.0.1');
        try {
          const full = await runSync({
            root: mirror,
            from: earlyUrl,
            config: structuredClone(DEFAULT_CONFIG),
            validate: validateDocument,
            fetchPage: fetcher.fetchPage,
            full: true,
          });
          expect(full.report.ok).toBe(true);
          expect(full.stats.removed).toBe(0);
          expect(existsSync(join(mirror, 'registry/status', `${OLD}.yaml`))).toBe(false);
          expect(full.written).toContain(RECORD);
        } finally {
          await new Promise<void>((done) => later.close(() => done()));
        }
      } finally {
        await fetcher.close();
      }
      const built = await buildRegistry({ root: mirror, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
      expect(built.report.ok).toBe(true);
      // OLD's 1.0.0 is a version NEW never published: the mirror answers it under OLD, as the upstream does.
      const kept = JSON.parse(readFileSync(join(mirror, 'dist', versionFile(OLD, '1.0.0') as string), 'utf8'));
      expect(kept.server.name).toBe(OLD);
      expect(kept._meta[DEFAULT_CONFIG.metaNamespace].renamedTo).toBe(NEW);
    } finally {
      rmSync(before, { recursive: true, force: true });
      rmSync(mirror, { recursive: true, force: true });
    }
  });
});

describe('mirroredRenames', () => {
  const r = (from: string, to: string) => ({ from, to, renamedAt: '2026-03-01T10:00:00Z' });
  it('mirrors only renames to a name the mirror has, and refuses a chain onto its own records', () => {
    const out = mirroredRenames(
      [r('x.y/a', 'x.y/b'), r('x.y/c', 'x.y/d')],
      [{ from: 'x.y/b', to: 'x.y/e', renamedAt: '2026-01-01T00:00:00Z', renamedBy: 'owner' }],
      new Set(['x.y/b']),
    );
    expect(out.records).toEqual([]);
    expect(out.conflicts.map((c) => c.rename.from)).toEqual(['x.y/a']);
  });
  it('reads only the renames file’s shape', () => {
    expect(parseUpstreamRenames('{"metaKey":"k","renames":[{"from":"a/b","to":"a/c","renamedAt":"2026-03-01T10:00:00Z"}]}')).toEqual([r('a/b', 'a/c')]);
    expect(parseUpstreamRenames('{"renames":[{"from":1}]}')).toBeUndefined();
    expect(parseUpstreamRenames('<html>')).toBeUndefined();
    expect(parseUpstreamRenames('{"renames":[{"from":"a/b","to":"a/c","renamedAt":"2026-03-01T10:00:00Z","kept":{}}]}')).toBeUndefined();
  });
  it('takes in only kept answers of the old name they are kept under, once, and none the walk listed', () => {
    const answer = (name: string, version: string) => ({ server: { name, version }, _meta: {} });
    const upstream = [
      {
        ...r('x.y/a', 'x.y/b'),
        kept: [answer('x.y/a', '1.0.0'), answer('x.y/a', '1.1.0'), answer('evil.example/z', '1.0.0'), answer('x.y/a', '1.0.0'), 'junk'],
      },
    ];
    expect(keptResponses(upstream, [answer('X.y/a', '1.1.0')])).toEqual([answer('x.y/a', '1.0.0')]);
    expect(keptResponses([r('x.y/a', 'x.y/b')], [])).toEqual([]);
  });
});
