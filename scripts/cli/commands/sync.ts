/** `mcp-registry sync --from URL`: mirror an upstream registry API into servers/. */
import { resolve } from 'node:path';
import { loadRegistryConfig } from '../../config/registry-config.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, environmentError, usageError } from '../../core/errors.ts';
import { faultHooks } from '../../ingest/commit-faults.ts';
import { createPageFetcher, DEFAULT_MAX_PAGE_BYTES } from '../../ingest/http-page-fetcher.ts';
import { leftOutLines } from '../../ingest/left-out.ts';
import { removalLimitFor } from '../../ingest/removal-limit.ts';
import { pinnedLogKeys } from '../../ingest/upstream-log.ts';
import type { SyncOptions } from '../../ingest/run-sync.ts';
import { runSync } from '../../ingest/run-sync.ts';
import { policyExclusion, policyOf } from '../../policy/load-policy.ts';
import { parseUpstreams } from '../../policy/upstreams.ts';
import { parseVerifierKey } from '../../translog/note.ts';
import { renderReport } from '../../validate/render.ts';
import { validateDocument } from '../../validate/validate-document.ts';
import { outputFormat, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A full walk would remove more versions than registry.config.yaml allows; see --allow-removals. */
export const EXIT_REMOVALS_HELD = 3;

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw usageError(`${flag} must be a whole number ≥ 0; got '${value}'`);
  return n;
}

/** SOURCE_DATE_EPOCH (seconds), the reproducible-builds convention, fixes fetchedAt. */
function clockFrom(env: NodeJS.ProcessEnv): (() => Date) | undefined {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return undefined;
  const at = new Date(wholeNumber(epoch, 'SOURCE_DATE_EPOCH') * 1000);
  return () => at;
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`${flag} must be a positive whole number; got '${value}'`);
  return n;
}

const command: Command = {
  help: `Usage: mcp-registry sync --from URL [--since RFC3339] [--full] [--allow-removals N] [--upstream-log-key VKEY] [--out DIR] [--format text|json]

Mirrors an upstream registry API (the official registry, another instance of this registry,
static or served, or a fork) into servers/<namespace>/<name>/<version>.json.

URL    the registry's base URL (https://registry.modelcontextprotocol.io) or its API root
       (…/v0.1 or …/v0). Without a version, /v0.1 is tried first, then /v0.

How it works:
  - Incremental: after a sync, the newest updatedAt seen is saved in registry/sync/<upstream>.json
    and the next run asks only for entries updated since then (updated_since). It walks in full
    instead when policy or upstreams changed since, or when the upstream (a static host) answers
    updated_since with 400.
  - A full walk (the first run, or --full) follows nextCursor to the end; a cursor that repeats,
    a page of only repeated entries, or more than --max-pages pages stops the sync.
  - Every entry goes through the same validation as a pull request and the policy in
    registry.config.yaml, and is mirrored as served: findings are warnings recorded in
    registry/upstream/. Entries that cannot be kept at all (docs/import.md, "Lossless mirroring")
    are listed in registry/quarantine/sync-<upstream>.json.
  - Upstream statuses (deprecated, deleted) go to registry/status/, provenance (upstream,
    fetchedAt, publishedAt, updatedAt) to registry/upstream/. A full walk marks versions the
    upstream no longer lists as deleted. Published files are never edited or removed.
  - Removals are held when one walk would mark more versions deleted than maxRemovals in
    registry.config.yaml allows (default: 5% of the versions mirrored from that upstream, at most
    50): a listing that ends early looks the same. Nothing is written; confirm with
    --allow-removals N after checking the upstream.
  - Names written in this repository, or mirrored from an upstream listed earlier under
    upstreams: in registry.config.yaml, are left alone.
  - An upstream that serves a transparency log (URL/log/checkpoint: an instance of this registry
    or a mirror of one) is checked before anything is written (docs/trust.md): its checkpoint
    must be signed by the pinned key (upstreams[].logKeys in registry.config.yaml, or
    --upstream-log-key), its tree must extend the checkpoint recorded at the previous sync, and
    each version about to be mirrored must be a leaf under it whose served bytes are the
    server.json the API answered. Any failure (sync/log-…) writes nothing and exits 1. The
    checkpoint taken is recorded in registry/sync/<upstream>.json, each version's leaf in its
    provenance. With a pin, or a checkpoint recorded before, an upstream without a log is
    refused; with neither, the first sync trusts the key the upstream serves (a warning) and
    holds it to that key from then on. An upstream that never served a log syncs as before.
  - Atomic and resumable: pages are journaled under registry/sync/; servers/ changes only when
    the walk is complete, all at once (a run killed while writing is completed or undone by the
    next sync or import, from .mcp-registry-commit/). Run the same command again to resume.

Options:
  --from URL              upstream registry (required)
  --since RFC3339         fetch entries updated after this time (overrides the saved watermark)
  --full                  ignore the saved watermark; walk everything and detect removals
  --allow-removals N      confirm up to N removals in this run, whatever maxRemovals says
  --upstream-log-key VKEY the upstream log's verifier key, <name>+<hash>+<base64> (a line of its
                          log/key, from a source you trust); repeat it to accept any of several.
                          Adds to upstreams[].logKeys; a pinned key makes the log required
  --out DIR               registry root to write into (default: the current folder)
  --limit N               page size to ask for (default 100, the API maximum)
  --max-pages N           give up after N pages (default 10000)
  --max-page-bytes N      refuse pages larger than N bytes (default ${DEFAULT_MAX_PAGE_BYTES})
  --timeout-ms N          per request (default 30000); failed requests are retried 3 times
  --format text|json      how to print the report
  -h, --help              show this help

SOURCE_DATE_EPOCH (seconds since 1970), when set, is the time written as fetchedAt.

Exit codes: 0 synced, 1 some entries were refused, the upstream misbehaved or its log did not
verify (see the report; nothing was written for a log failure),
2 usage or environment error (bad flag, upstream unreachable), 3 removals held (sync/too-many-removals):
nothing was written; check the upstream, then run again with --full --allow-removals N.
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      from: { type: 'string' },
      since: { type: 'string' },
      full: { type: 'boolean' },
      'allow-removals': { type: 'string' },
      'upstream-log-key': { type: 'string', multiple: true },
      out: { type: 'string' },
      limit: { type: 'string' },
      'max-pages': { type: 'string' },
      'max-page-bytes': { type: 'string' },
      'timeout-ms': { type: 'string' },
      format: { type: 'string' },
    });
    const format = outputFormat(values.format);
    if (positionals.length > 0) throw usageError(`unexpected argument '${positionals[0]}'; see --help`);
    if (values.from === undefined) throw usageError('--from URL is required; see --help');
    let from: URL;
    try {
      from = new URL(values.from);
    } catch {
      throw usageError(`--from must be an http(s) URL; got '${values.from}'`);
    }
    if (from.protocol !== 'http:' && from.protocol !== 'https:') throw usageError(`--from must be an http(s) URL; got '${values.from}'`);
    if (values.since !== undefined && (!RFC3339.test(values.since) || Number.isNaN(Date.parse(values.since)))) {
      throw usageError(`--since must be an RFC 3339 time such as 2025-10-01T00:00:00Z; got '${values.since}'`);
    }
    const root = resolve(io.cwd, values.out ?? '.');
    const config = await loadRegistryConfig(root);
    const upstreams = parseUpstreams(config.extra.upstreams);
    if (!upstreams.ok) throw environmentError(`registry.config.yaml: ${upstreams.error.join('; ')}`);
    const removalLimit = removalLimitFor(config.extra, values.from);
    if (!removalLimit.ok) throw environmentError(`registry.config.yaml: ${removalLimit.error}`);
    const pinned = pinnedLogKeys(config.extra, values.from);
    if (!pinned.ok) throw environmentError(`registry.config.yaml: ${pinned.error}`);
    for (const text of values['upstream-log-key'] ?? []) {
      const key = parseVerifierKey(text);
      if (!key.ok) throw usageError(`--upstream-log-key: ${key.error}`);
    }
    const upstreamLogKeys = [...new Set([...pinned.value, ...(values['upstream-log-key'] ?? []).map((k) => k.trim())])];
    const now = clockFrom(io.env);
    const allowRemovals = values['allow-removals'] === undefined ? undefined : wholeNumber(values['allow-removals'], '--allow-removals');
    const fetcher = createPageFetcher({
      from: values.from,
      maxPageBytes: positiveInt(values['max-page-bytes'], '--max-page-bytes', DEFAULT_MAX_PAGE_BYTES),
      timeoutMs: positiveInt(values['timeout-ms'], '--timeout-ms', 30_000),
    });
    const options: SyncOptions = {
      root,
      from: values.from,
      config,
      validate: validateDocument,
      fetchPage: fetcher.fetchPage,
      limit: Math.min(positiveInt(values.limit, '--limit', 100), 100),
      maxPages: positiveInt(values['max-pages'], '--max-pages', 10_000),
      exclude: policyExclusion(policyOf(config)),
      upstreams: upstreams.value,
      full: values.full === true,
      removalLimit: removalLimit.value,
      commitHooks: faultHooks(io.env, io.stderr),
      upstreamLogKeys,
      ...(allowRemovals === undefined ? {} : { allowRemovals }),
      ...(now === undefined ? {} : { now }),
    };
    if (values.since !== undefined) options.since = values.since;
    let outcome: Awaited<ReturnType<typeof runSync>>;
    try {
      outcome = await runSync(options);
    } finally {
      await fetcher.close();
    }
    // Nothing answered at that address: an environment error (exit 2), not an upstream that misbehaved (exit 1).
    if (outcome.unreachable) throw environmentError(outcome.unreachable.message);
    // "0 files checked" says nothing about a sync; the summary line below does.
    if (format !== 'text' || outcome.report.files.length > 0) io.stdout(renderReport(outcome.report, format));
    if (format === 'text') {
      const s = outcome.stats;
      io.stdout(
        `sync ${s.incremental ? 'incremental' : 'full'}${s.resumed ? ' (resumed)' : ''}: ${s.pages} pages, ${s.requests} requests, ${s.bytes} bytes; ` +
          `${s.fetched} entries fetched, ${s.added} added, ${s.unchanged} unchanged, ${s.skipped} left out, ${s.quarantined} quarantined, ${s.removed} removed upstream, ${s.withdrawn > 0 ? `${s.withdrawn} withdrawn by policy, ` : ''}${s.stateFiles} state files updated` +
          (outcome.quarantinePath ? ` (see ${outcome.quarantinePath})` : '') +
          '\n',
      );
      const log = outcome.log;
      if (log !== undefined) {
        io.stdout(
          `upstream log ${log.origin}: checkpoint of ${log.size} entries, ${log.signed ? 'signature verified' : 'NOT signed by any key'}; ${log.included} new versions proven included` +
            (log.consistentWith === undefined ? '' : `; extends the checkpoint of ${log.consistentWith} entries taken at the previous sync`) +
            '\n',
        );
      }
      for (const line of leftOutLines(outcome.plan.skipped)) io.stdout(line);
    }
    if (outcome.removalsHeld) return EXIT_REMOVALS_HELD;
    return outcome.report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
  },
};
export default command;
