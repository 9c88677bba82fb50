/**
 * What checking an upstream's transparency log costs `sync`: an upstream of ours (`build` with a
 * signed log over generated servers, served by `mcp-registry serve` on 127.0.0.1 in this process),
 * synced into an empty mirror with the log checked (every version proven), the same upstream built
 * without a log (the baseline), then a full re-walk after one more version is published (one leaf
 * and the consistency proof). Wall and CPU (this process: the sync and the serving upstream), the
 * log's requests and bytes. `npm run bench -- sync-log [--servers N]` (2 versions each).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG } from '../scripts/config/registry-config.ts';
import { apiEmitter } from '../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../scripts/emit/build-registry.ts';
import { logEmitter } from '../scripts/emit/log-emitter.ts';
import { createPageFetcher } from '../scripts/ingest/http-page-fetcher.ts';
import type { SyncOutcome } from '../scripts/ingest/run-sync.ts';
import { runSync } from '../scripts/ingest/run-sync.ts';
import { loadApiData } from '../scripts/serve/load-api-data.ts';
import type { RegistryServer } from '../scripts/serve/node-server.ts';
import { createRegistryServer, listen } from '../scripts/serve/node-server.ts';
import { validateDocument } from '../scripts/validate/validate-document.ts';
import { fixtureRoot, serverDoc, sortedPathDates, tempDir } from '../test/fixtures/api/build-fixture.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

const at = process.argv.indexOf('--servers');
const SERVERS = at === -1 ? 5_000 : Number(process.argv[at + 1]);
const loadAtStart = loadavg()[0] as number;
const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const cleanup: string[] = [];

async function build(root: string, log: boolean): Promise<string> {
  const out = join(root, 'dist');
  const result = await buildRegistry({
    root,
    config: structuredClone(DEFAULT_CONFIG),
    host: 'node',
    out,
    dates: sortedPathDates,
    emitters: log ? [apiEmitter, logEmitter] : [apiEmitter],
    ...(log ? { logKey: pem } : {}),
  });
  if (!result.written) throw new Error('build failed');
  return out;
}

let server: RegistryServer | undefined;
let port = 0;
async function serve(dist: string): Promise<string> {
  if (server !== undefined) {
    const s = server;
    s.closeAllConnections();
    await new Promise<void>((done) => s.close(() => done()));
  }
  server = createRegistryServer({ dist, data: await loadApiData(dist), port, host: '127.0.0.1' });
  port = (await listen(server, port, '127.0.0.1')).port;
  return `http://127.0.0.1:${port}`;
}

interface Run {
  ms: number;
  cpuMs: number;
  outcome: SyncOutcome;
  logRequests: number;
  logBytes: number;
}

async function measure(mirror: string, url: string, full = false): Promise<Run> {
  const fetcher = createPageFetcher({ from: url });
  let logRequests = 0;
  let logBytes = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const outcome = await runSync({
    root: mirror,
    from: url,
    config: structuredClone(DEFAULT_CONFIG),
    validate: validateDocument,
    full,
    fetchPage: async (u) => {
      const r = await fetcher.fetchPage(u);
      if (new URL(u).pathname.startsWith('/log/')) {
        logRequests += 1;
        if (r.ok) logBytes += r.bytes;
      }
      return r;
    },
  });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await fetcher.close();
  if (!outcome.report.ok) throw new Error(`sync failed: ${JSON.stringify(outcome.report.files.flatMap((f) => f.diagnostics).slice(0, 3))}`);
  return { ms, cpuMs: (used.user + used.system) / 1000, outcome, logRequests, logBytes };
}

try {
  const root = fixtureRoot(SERVERS);
  cleanup.push(root);
  const versions = SERVERS * 2 + 10;
  const withLog = await build(root, true);
  const bareRoot = fixtureRoot(SERVERS);
  cleanup.push(bareRoot);
  const bare = await build(bareRoot, false);

  const baselineMirror = tempDir('bench-sync-log');
  cleanup.push(baselineMirror);
  const baseline = await measure(baselineMirror, await serve(bare));
  const mirror = tempDir('bench-sync-log');
  cleanup.push(mirror);
  const first = await measure(mirror, await serve(withLog));
  if (first.outcome.log?.included !== versions) throw new Error(`proved ${first.outcome.log?.included} of ${versions} versions`);

  const publishOne = (r: string) => {
    mkdirSync(join(r, 'servers/zz.example/late'), { recursive: true });
    writeFileSync(join(r, 'servers/zz.example/late/1.0.0.json'), JSON.stringify(serverDoc('zz.example/late', '1.0.0', 'Published last')));
  };
  publishOne(bareRoot);
  const bareGrown = await measure(baselineMirror, await serve(await build(bareRoot, false)), true);
  publishOne(root);
  const grown = await measure(mirror, await serve(await build(root, true)), true);
  if (grown.outcome.log?.included !== 1 || grown.outcome.log.consistentWith !== versions) throw new Error(`re-walk: ${JSON.stringify(grown.outcome.log)}`);

  const row = (label: string, r: Run) =>
    `| ${label} | ${(r.ms / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ${r.outcome.stats.added} | ${r.outcome.log?.included ?? '—'} | ${r.logRequests} | ${(r.logBytes / 1e6).toFixed(2)} MB |`;
  const body = [
    '`bench/sync-log.ts` (`npm run bench -- sync-log`): an upstream of ours (`build` with a signed log, served by',
    '`mcp-registry serve` on 127.0.0.1 in the same process) synced into an empty mirror with its log checked (every',
    'version proven included, its served bytes fetched and compared), against the same upstream built without a log;',
    'then a full re-walk after one more version is published (one leaf proven, and the consistency proof from the',
    'recorded checkpoint). CPU is the whole process, the serving upstream included. Each new version costs one',
    "request for its served bytes (most of a first sync's log requests); tiles and entry bundles are read once each.",
    '',
    `Machine: ${describeMachine()}; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]?.toFixed(1)} at the end (the machine is shared: wall times are upper bounds).`,
    '',
    '| sync | wall | CPU | files added | versions proven | log requests | log bytes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row(`first, ${versions.toLocaleString('en')} versions, upstream without a log`, baseline),
    row(`first, ${versions.toLocaleString('en')} versions, log checked`, first),
    row('full re-walk after 1 new version, upstream without a log', bareGrown),
    row('full re-walk after 1 new version, log checked', grown),
  ].join('\n');
  process.stdout.write(`${body}\n`);
  writeBenchmarkSection("Sync checking an upstream's log (bench/sync-log.ts)", body);
} finally {
  if (server !== undefined) {
    const s = server;
    s.closeAllConnections();
    await new Promise<void>((done) => s.close(() => done()));
  }
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
}
