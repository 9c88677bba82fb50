/**
 * `inspect` over registry entries (the stage's edge): read each version's previous inspection,
 * inspect every due endpoint once per run (versions sharing a URL share the check), never more
 * than one endpoint per host at a time, within a request budget, then write one file per version
 * atomically — only when its bytes change.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import type { ServerJson } from '../core/api-types.ts';
import { diagnostic, fileReport, warning } from '../core/diagnostics.ts';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { writeFileAtomically } from '../files/atomic-file.ts';
import { listSourceFiles, mapConcurrent, treeLabel } from '../load/servers-tree.ts';
import { statePath } from '../core/registry-state.ts';
import { parseStatusState } from '../state/state-files.ts';
import { bareHost } from '../net/address-guard.ts';
import { createGuardedFetch } from '../net/guarded-fetch.ts';
import type { LookupFunction } from '../net/guarded-agent.ts';
import { createHostLimiter } from '../net/host-limiter.ts';
import type { InspectCode } from './codes.ts';
import type { InspectConfig } from './inspect-config.ts';
import { failedEndpoint } from './endpoint-result.ts';
import type { EndpointResult } from './endpoint-result.ts';
import { isDue, isNoCheck, nextRecord } from './endpoint-record.ts';
import { inspectionPath, parseInspection, serialiseInspection } from './inspection-file.ts';
import type { EndpointRecord, InspectionFile } from './inspection-file.ts';
import { inspectSession } from './mcp-session.ts';
import type { SessionTarget } from './mcp-session.ts';
import { planTargets } from './targets.ts';
import type { PlannedTarget } from './targets.ts';

export interface InspectRunOptions {
  root: string;
  /** Files or folders (default: servers/). */
  paths?: readonly string[];
  config: InspectConfig;
  userAgent: string;
  clientName: string;
  allowPrivateNetwork: boolean;
  /** Honour intervalDays (the weekly job); otherwise every endpoint is inspected now. */
  scheduled: boolean;
  now: () => Date;
  lookup?: LookupFunction;
}

export interface VersionOutcome {
  path: string;
  name: string;
  version: string;
  endpoints: EndpointRecord[];
  skipped: { key: string; why: string }[];
  written: boolean;
}

export interface InspectRunReport {
  files: FileReport[];
  versions: VersionOutcome[];
  /** HTTP requests made. */
  requests: number;
}

interface Entry {
  source: string;
  server: ServerJson;
}

/**
 * The versions registry/status/ marks deleted, per server name: they are not served, so they are
 * not inspected either (no traffic to an endpoint the registry no longer lists). A status file
 * that does not parse deletes nothing here; the build reports it.
 */
async function deletedVersions(root: string, name: string, cache: Map<string, Promise<Set<string>>>): Promise<Set<string>> {
  const cached = cache.get(name);
  if (cached) return cached;
  const read = readFile(join(root, statePath('status', name)), 'utf8').then(
    (text) => {
      const versions = parseStatusState(text).value?.versions ?? {};
      return new Set(Object.entries(versions).flatMap(([v, s]) => (s.status === 'deleted' ? [v] : [])));
    },
    () => new Set<string>(),
  );
  cache.set(name, read);
  return read;
}

async function readEntries(root: string, paths: readonly string[] | undefined): Promise<Entry[]> {
  const entries: Entry[] = [];
  const deleted = new Map<string, Promise<Set<string>>>();
  for (const p of paths && paths.length > 0 ? paths : ['servers']) {
    const abs = resolve(root, p);
    const files = p.endsWith('.json') ? [{ absolute: abs, symlink: false }] : await listSourceFiles(abs).catch(() => []);
    for (const f of files) {
      if (f.symlink) continue;
      try {
        const value: unknown = JSON.parse(await readFile(f.absolute, 'utf8'));
        if (isRecord(value) && typeof value.name === 'string' && typeof value.version === 'string' && value.name.includes('/')) {
          if ((await deletedVersions(root, value.name, deleted)).has(value.version)) continue;
          entries.push({ source: treeLabel(root, f.absolute), server: value as ServerJson });
        }
      } catch {
        // Not a server.json that validate accepts: validate reports it.
      }
    }
  }
  return entries;
}

async function readPrevious(root: string, path: string): Promise<{ file?: InspectionFile; diagnostics: Diagnostic[]; text?: string }> {
  let text: string;
  try {
    text = await readFile(join(root, path), 'utf8');
  } catch {
    return { diagnostics: [] };
  }
  const parsed = parseInspection(text, path);
  return { ...(parsed.value ? { file: parsed.value } : {}), diagnostics: parsed.diagnostics, text };
}

function hostOf(target: SessionTarget): string {
  return target.kind === 'remote' ? bareHost(new URL(target.url).hostname) : 'stdio';
}

const SEVERE: Record<string, boolean> = { 'budget-exhausted': false, 'rate-limited': false };

function endpointDiagnostics(
  record: EndpointRecord,
  result: EndpointResult | undefined,
  previous: EndpointRecord | undefined,
  notAnsweringAfter: number,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (result?.error) {
    const code = `inspect/${result.error.code}` as InspectCode;
    const message = `${record.url}: ${result.error.message}`;
    out.push(SEVERE[result.error.code] === false ? warning(code, `${message}; it is checked on a later run`) : diagnostic(code, message));
  }
  if (record.notAnswering && !isNoCheck(result ?? record)) {
    out.push(
      warning(
        'inspect/not-answering' satisfies InspectCode,
        `${record.url} has failed ${record.consecutiveFailures} checks in a row (threshold ${notAnsweringAfter}): flagged not answering; nothing is deleted, a maintainer decides`,
      ),
    );
  }
  const change = record.toolChanges?.at(-1);
  if (change && change !== previous?.toolChanges?.at(-1)) {
    out.push(
      warning(
        'inspect/tools-changed' satisfies InspectCode,
        `${record.url}: the tools of this version changed since the last inspection (${change.from} → ${change.to}); a maintainer reviews the change:\n${change.diff}`,
      ),
    );
  }
  if (record.needs && result !== undefined) {
    const parts = Object.entries(record.needs).map(([k, v]) => `${k} ${(v as string[]).join(', ')}`);
    out.push(
      warning(
        'inspect/needs-configuration' satisfies InspectCode,
        `${record.url} needs ${parts.join('; ')}: noted, never guessed; what it offers without them is what is recorded`,
      ),
    );
  }
  return out;
}

export async function runInspect(options: InspectRunOptions): Promise<InspectRunReport> {
  const { config } = options;
  const entries = await readEntries(options.root, options.paths);
  let requests = 0;
  const fetch = createGuardedFetch({
    userAgent: options.userAgent,
    headersTimeoutMs: config.requestTimeoutMs,
    idleTimeoutMs: config.requestTimeoutMs,
    maxBytes: 16 * 1024 * 1024,
    allowPrivateNetwork: options.allowPrivateNetwork,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    admit: () => {
      if (requests >= config.requestBudget) return false;
      requests += 1;
      return true;
    },
  });
  const limiter = createHostLimiter(1);
  const rateLimitedHosts = new Set<string>();
  const checks = new Map<string, Promise<EndpointResult>>();
  const stdio = { enabled: config.stdio, memoryMb: config.stdioMemoryMb, path: process.env.PATH ?? '/usr/bin:/bin', home: tmpdir() };

  function check(target: SessionTarget, key: string): Promise<EndpointResult> {
    const existing = checks.get(key);
    if (existing) return existing;
    const host = hostOf(target);
    const started = limiter.run(host, async () => {
      const label = target.kind === 'remote' ? target.url : target.label;
      const transport = target.kind === 'remote' ? target.transport : 'stdio';
      if (rateLimitedHosts.has(host)) {
        return failedEndpoint(label, transport, { code: 'rate-limited', message: `${host} asked us to slow down earlier in this run` });
      }
      const result = await inspectSession(target, {
        fetch,
        clientName: options.clientName,
        clientVersion: '0.1.0',
        requestTimeoutMs: config.requestTimeoutMs,
        sessionTimeoutMs: config.sessionTimeoutMs,
      });
      if (result.error?.code === 'rate-limited') rateLimitedHosts.add(host);
      return result;
    });
    checks.set(key, started);
    return started;
  }

  try {
    const versions = await mapConcurrent(entries, config.concurrency, async (entry): Promise<{ outcome: VersionOutcome; report: FileReport }> => {
      const { name, version } = entry.server;
      const path = inspectionPath(name, version);
      const previous = await readPrevious(options.root, path);
      const now = options.now().toISOString();
      const planned: PlannedTarget[] = planTargets(entry.server, stdio);
      const diagnostics: Diagnostic[] = [...previous.diagnostics];
      const skipped: VersionOutcome['skipped'] = [];
      const records: EndpointRecord[] = [];
      for (const plan of planned) {
        const before = previous.file?.endpoints.find((e) => e.url === plan.key);
        if (!plan.target) {
          skipped.push({ key: plan.key, why: plan.skipped ?? 'not inspected' });
          if (plan.needs) {
            diagnostics.push(warning('inspect/needs-configuration' satisfies InspectCode, `${plan.key}: ${plan.skipped}`));
          }
          if (before) records.push(before);
          continue;
        }
        // isDue is true without a previous record, so `before` is always set here.
        if (options.scheduled && before && !isDue(before, now, config.intervalDays)) {
          records.push(before);
          continue;
        }
        const result = await check(plan.target, plan.key);
        const record = nextRecord(before, { ...result, url: plan.key }, now, config.notAnsweringAfter, plan.needs);
        if (record) {
          records.push(record);
          diagnostics.push(...endpointDiagnostics(record, result, before, config.notAnsweringAfter));
        } else {
          diagnostics.push(...endpointDiagnostics({ ...result, checkedAt: now, consecutiveFailures: 0 }, result, undefined, config.notAnsweringAfter));
        }
      }
      // Endpoints the entry no longer lists keep their record: nothing is deleted automatically.
      for (const old of previous.file?.endpoints ?? []) if (!records.some((r) => r.url === old.url)) records.push(old);
      records.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
      let written = false;
      if (records.length > 0) {
        const text = serialiseInspection({ schemaVersion: 1, name, version, endpoints: records });
        if (text !== previous.text) {
          await writeFileAtomically(join(options.root, path), text);
          written = true;
        }
      }
      return { outcome: { path, name, version, endpoints: records, skipped, written }, report: fileReport(path, diagnostics) };
    });
    return { files: versions.map((v) => v.report), versions: versions.map((v) => v.outcome), requests };
  } finally {
    await fetch.close();
  }
}
