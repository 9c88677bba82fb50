/**
 * Sync from a local upstream (plain node:http on 127.0.0.1 answering like the official API):
 * a full sync of 10,000 servers into an empty registry, then an incremental sync after 100
 * changes (50 new versions, 50 deprecations). Wall time, requests and bytes transferred.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG } from '../scripts/config/registry-config.ts';
import { createPageFetcher } from '../scripts/ingest/http-page-fetcher.ts';
import { runSync } from '../scripts/ingest/run-sync.ts';
import type { SyncOutcome } from '../scripts/ingest/run-sync.ts';
import { validateDocument } from '../scripts/validate/validate-document.ts';
import { makeEntry, startUpstream } from '../test/fixtures/sync/upstream-server.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

const SERVERS = 10_000;
const loadAtStart = loadavg()[0]!;
const CHANGES = 100;

const root = mkdtempSync(join(tmpdir(), 'bench-sync-'));
const upstream = await startUpstream({ entries: Array.from({ length: SERVERS }, (_, i) => makeEntry(i)) });
const fetcher = createPageFetcher({ from: upstream.url });

async function measure(full = false): Promise<{ ms: number; outcome: SyncOutcome; served: number }> {
  const before = upstream.bytesSent;
  const start = performance.now();
  const outcome = await runSync({ root, from: upstream.url, config: DEFAULT_CONFIG, validate: validateDocument, fetchPage: fetcher.fetchPage, full });
  return { ms: performance.now() - start, outcome, served: upstream.bytesSent - before };
}

try {
  const full = await measure();
  if (!full.outcome.report.ok || full.outcome.stats.added !== SERVERS) throw new Error(`full sync failed: ${JSON.stringify(full.outcome.stats)}`);
  for (let i = 0; i < CHANGES / 2; i += 1) upstream.entries.push(makeEntry(i * 97, { version: '1.1.0', updatedAt: '2025-07-01T00:00:00Z' }));
  for (let i = 0; i < CHANGES / 2; i += 1) upstream.entries[i * 89 + 1] = makeEntry(i * 89 + 1, { status: 'deprecated', updatedAt: '2025-07-02T00:00:00Z' });
  const incremental = await measure();
  const s = incremental.outcome.stats;
  if (s.fetched !== CHANGES || s.added !== CHANGES / 2) throw new Error(`incremental sync fetched ${s.fetched}, added ${s.added}`);

  const again = await measure(true);
  if (again.outcome.stats.added !== 0 || again.outcome.stats.removed !== 0)
    throw new Error(`full re-walk changed files: ${JSON.stringify(again.outcome.stats)}`);

  const row = (label: string, r: { ms: number; outcome: SyncOutcome; served: number }) =>
    `| ${label} | ${(r.ms / 1000).toFixed(2)} s | ${r.outcome.stats.requests} | ${r.outcome.stats.pages} | ${(r.outcome.stats.bytes / 1e6).toFixed(2)} MB | ${r.outcome.stats.fetched} | ${r.outcome.stats.added} | ${r.outcome.stats.stateFiles} |`;
  const body = [
    `Machine: ${describeMachine()}; 1-minute load average ${loadAtStart.toFixed(1)} when the run started (the machine is shared).`,
    '',
    `A local upstream (node:http on 127.0.0.1, official ordering and \`name:version\` cursors, 100 per page) serves ${SERVERS.toLocaleString('en')} servers with one npm package each. ` +
      `The full sync writes into an empty registry; the incremental one follows after ${CHANGES} upstream changes (${CHANGES / 2} new versions, ${CHANGES / 2} deprecations) and uses the saved watermark; ` +
      'the last row walks everything again (removal detection) and must write nothing. ' +
      'Every entry is validated, rendered and written with its provenance in one atomic commit. Bytes are response bodies as received.',
    '',
    '| sync | wall time | requests | pages | bytes | entries fetched | files added | state files written |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row('full, 10,000 servers', full),
    row(`incremental, ${CHANGES} changes`, incremental),
    row('full re-walk, nothing changed (--full)', again),
  ].join('\n');
  process.stdout.write(`${body}\n`);
  writeBenchmarkSection('Sync from an upstream', body);
} finally {
  await fetcher.close();
  await upstream.close();
  rmSync(root, { recursive: true, force: true });
}
