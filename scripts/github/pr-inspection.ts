/**
 * The PR check's inspection of the versions a pull request adds (docs/inspection.md): each remote
 * of each new version is asked, as a real MCP client, what it offers — in the unprivileged check
 * job, only when the check may reach the network at all (verify runs), through the inspect stage's
 * guarded fetch (https and public addresses only), one connection per host, within a request
 * budget and a time limit, without credentials. Stdio packages are never started here: the
 * package is the PR's code, and it would run beside the result file the reporting job trusts.
 *
 * The result rides in the PR check's artifact, so the privileged reporting job reads it as
 * someone else's data: `isPrInspection` checks every field and cap, and the comment escapes
 * every string (`renderInspectionSection`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerJson } from '../core/api-types.ts';
import type { Report } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { escapeMarkdown } from '../core/markdown.ts';
import type { RegistryConfig } from '../config/registry-config.ts';
import { capString, failedEndpoint } from '../inspect/endpoint-result.ts';
import type { EndpointResult } from '../inspect/endpoint-result.ts';
import { inspectConfig, inspectUserAgent } from '../inspect/inspect-config.ts';
import type { InspectConfig } from '../inspect/inspect-config.ts';
import type { EndpointNeeds } from '../inspect/inspection-file.ts';
import { inspectSession } from '../inspect/mcp-session.ts';
import { planTargets } from '../inspect/targets.ts';
import { mapConcurrent } from '../load/servers-tree.ts';
import { bareHost } from '../net/address-guard.ts';
import type { LookupFunction } from '../net/guarded-agent.ts';
import { createGuardedFetch } from '../net/guarded-fetch.ts';
import { createHostLimiter } from '../net/host-limiter.ts';

/** Versions inspected per PR; more are listed as not inspected. */
export const PR_MAX_VERSIONS = 20;
/** Endpoints per version. */
export const PR_MAX_ENDPOINTS = 10;
/** Tools named per endpoint in the artifact (the count is of all). */
export const PR_MAX_TOOLS = 50;
export const PR_MAX_NAME = 128;
export const PR_MAX_DESCRIPTION = 300;
export const PR_MAX_URL = 2048;
export const PR_MAX_MESSAGE = 500;
/** HTTP requests one PR check may make for inspection, across every host. */
export const PR_REQUEST_BUDGET = 200;
/** No endpoint is started after this much time; one already started ends within its session limit. */
export const PR_INSPECTION_DEADLINE_MS = 120_000;
/** The section's share of the sticky comment. */
export const PR_MAX_SECTION_CHARS = 12_000;

const TRANSPORTS = ['streamable-http', 'sse', 'stdio'] as const;
const REASONS = ['unreachable', 'timeout', 'auth-required', 'protocol-error', 'too-large', 'ssrf-refused', 'rate-limited', 'budget-exhausted'] as const;

export interface PrInspectedTool {
  name: string;
  description?: string;
}

export interface PrInspectedEndpoint {
  url: string;
  transport: (typeof TRANSPORTS)[number];
  reachable: boolean;
  error?: { code: (typeof REASONS)[number]; message: string };
  protocolVersion?: string;
  serverInfo?: { name: string; version: string };
  /** The first PR_MAX_TOOLS by name. */
  tools: PrInspectedTool[];
  toolCount: number;
  promptCount: number;
  resourceCount: number;
  /** Of the whole tool set (what a later re-inspection compares against). */
  fingerprint?: string;
  needs?: EndpointNeeds;
}

export interface PrInspectedVersion {
  path: string;
  name: string;
  version: string;
  endpoints: PrInspectedEndpoint[];
  /** Endpoints not inspected, and why (stdio, URL variables without defaults, out of time). */
  skipped: { key: string; why: string }[];
}

export interface PrInspection {
  /** `skipped`: nothing was inspected; `note` says why. */
  status: 'ran' | 'skipped';
  note?: string;
  versions: PrInspectedVersion[];
}

export interface PrInspectOptions {
  /** Off: the PR check inspects nothing (the comment says so). Default on. */
  enabled?: boolean;
  /** Loopback and private addresses (tests; never from the workflow). */
  allowPrivateNetwork?: boolean;
  lookup?: LookupFunction;
  deadlineMs?: number;
}

export interface AddedVersion {
  /** `servers/<ns>/<name>/<version>.json`, relative to the check tree. */
  path: string;
}

const clip = (text: string, max: number): string => capString(text.replace(/[\r\n\t]+/g, ' '), max);

function summarise(result: EndpointResult, needs: EndpointNeeds | undefined): PrInspectedEndpoint {
  const tools = [...result.tools]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, PR_MAX_TOOLS)
    .map((t) => ({ name: clip(t.name, PR_MAX_NAME), ...(t.description ? { description: clip(t.description, PR_MAX_DESCRIPTION) } : {}) }));
  return {
    url: clip(result.url, PR_MAX_URL),
    transport: result.transport,
    reachable: result.reachable,
    ...(result.error ? { error: { code: result.error.code, message: clip(result.error.message, PR_MAX_MESSAGE) } } : {}),
    ...(result.protocolVersion ? { protocolVersion: clip(result.protocolVersion, 64) } : {}),
    ...(result.serverInfo ? { serverInfo: { name: clip(result.serverInfo.name, PR_MAX_NAME), version: clip(result.serverInfo.version, 64) } } : {}),
    tools,
    toolCount: result.tools.length,
    promptCount: result.prompts.length,
    resourceCount: result.resources.length,
    ...(result.fingerprint ? { fingerprint: result.fingerprint } : {}),
    ...(needs && Object.keys(needs).length > 0 ? { needs: clipNeeds(needs) } : {}),
  };
}

function clipNeeds(needs: EndpointNeeds): EndpointNeeds {
  const out: EndpointNeeds = {};
  for (const key of ['headers', 'variables', 'environment'] as const) {
    const names = needs[key];
    if (names) out[key] = names.slice(0, 100).map((n) => clip(n, PR_MAX_NAME));
  }
  return out;
}

/** Paths validate passed: a file with errors is not a server.json whose remotes we can trust the shape of. */
function validPaths(added: readonly AddedVersion[], validated: Report | undefined): string[] {
  const ok = new Set((validated?.files ?? []).filter((f) => f.ok).map((f) => f.path));
  return [...new Set(added.map((a) => a.path))].filter((p) => ok.has(p)).sort();
}

/**
 * Inspects the remotes of the versions a PR adds. `tree` holds the PR's servers/ and the base
 * branch's registry.config.yaml (the `inspect:` limits and User-Agent come from the base).
 */
export async function inspectAddedVersions(
  tree: string,
  config: RegistryConfig,
  added: readonly AddedVersion[],
  validated: Report | undefined,
  options: PrInspectOptions = {},
): Promise<PrInspection> {
  if (options.enabled === false) return { status: 'skipped', note: 'inspection is off for this check', versions: [] };
  const paths = validPaths(added, validated);
  if (paths.length === 0) {
    const note = added.length === 0 ? 'the pull request adds no version' : 'no added version passed validation';
    return { status: 'skipped', note, versions: [] };
  }
  let inspect: InspectConfig;
  try {
    inspect = inspectConfig(config);
  } catch (error) {
    return {
      status: 'skipped',
      note: clip(`the registry configuration's inspect section is invalid: ${(error as Error).message}`, PR_MAX_MESSAGE),
      versions: [],
    };
  }
  const requestTimeoutMs = Math.min(inspect.requestTimeoutMs, 10_000);
  const sessionTimeoutMs = Math.min(inspect.sessionTimeoutMs, 30_000);
  const deadline = Date.now() + (options.deadlineMs ?? PR_INSPECTION_DEADLINE_MS);
  let requests = 0;
  const fetch = createGuardedFetch({
    userAgent: inspectUserAgent(config, inspect),
    headersTimeoutMs: requestTimeoutMs,
    idleTimeoutMs: requestTimeoutMs,
    maxBytes: 16 * 1024 * 1024,
    allowPrivateNetwork: options.allowPrivateNetwork ?? false,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    admit: () => {
      if (requests >= Math.min(inspect.requestBudget, PR_REQUEST_BUDGET)) return false;
      requests += 1;
      return true;
    },
  });
  const limiter = createHostLimiter(1);
  const checks = new Map<string, Promise<EndpointResult | undefined>>();
  const noStdio = { enabled: false, memoryMb: inspect.stdioMemoryMb, path: '', home: '' };

  const check = (url: string, transport: 'streamable-http' | 'sse'): Promise<EndpointResult | undefined> => {
    const known = checks.get(url);
    if (known) return known;
    let host: string;
    try {
      host = bareHost(new URL(url).hostname);
    } catch {
      const bad = Promise.resolve(failedEndpoint(url, transport, { code: 'protocol-error', message: 'not a URL' }));
      checks.set(url, bad);
      return bad;
    }
    const started = limiter.run(host, async () => {
      if (Date.now() >= deadline) return undefined;
      return inspectSession(
        { kind: 'remote', transport, url },
        { fetch, clientName: `${config.name}-inspect`, clientVersion: '0.1.0', requestTimeoutMs, sessionTimeoutMs },
      );
    });
    checks.set(url, started);
    return started;
  };

  try {
    const versions = await mapConcurrent(paths.slice(0, PR_MAX_VERSIONS), inspect.concurrency, async (path): Promise<PrInspectedVersion | undefined> => {
      let server: ServerJson;
      try {
        server = JSON.parse(await readFile(join(tree, path), 'utf8')) as ServerJson;
      } catch {
        return undefined;
      }
      const out: PrInspectedVersion = { path, name: clip(String(server.name), 256), version: clip(String(server.version), 256), endpoints: [], skipped: [] };
      const plans = planTargets(server, noStdio);
      for (const plan of plans.slice(PR_MAX_ENDPOINTS))
        out.skipped.push({ key: clip(plan.key, PR_MAX_URL), why: `over ${PR_MAX_ENDPOINTS} endpoints per version` });
      for (const plan of plans.slice(0, PR_MAX_ENDPOINTS)) {
        const key = clip(plan.key, PR_MAX_URL);
        if (plan.target?.kind !== 'remote') {
          const why = plan.key.startsWith('stdio:')
            ? 'stdio packages are not started by the PR check: the package is the pull request’s code'
            : (plan.skipped ?? 'not inspected');
          out.skipped.push({ key, why: clip(why, PR_MAX_MESSAGE) });
          continue;
        }
        const result = await check(plan.target.url, plan.target.transport);
        if (result) out.endpoints.push(summarise(result, plan.needs));
        else
          out.skipped.push({
            key,
            why: `the PR check’s inspection time (${Math.round((options.deadlineMs ?? PR_INSPECTION_DEADLINE_MS) / 1000)} s) was spent`,
          });
      }
      return out;
    });
    const inspected = versions.filter((v): v is PrInspectedVersion => v !== undefined);
    const more = paths.length - PR_MAX_VERSIONS;
    return {
      status: 'ran',
      ...(more > 0 ? { note: `${more} more added version(s) not inspected (at most ${PR_MAX_VERSIONS} per check)` } : {}),
      versions: inspected,
    };
  } finally {
    await fetch.close();
  }
}

// ---- The reporting side: the artifact is untrusted data ----

const isString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isNames = (v: unknown): boolean => Array.isArray(v) && v.length <= 100 && v.every((n) => isString(n, PR_MAX_NAME));
const only = (v: Record<string, unknown>, keys: readonly string[]): boolean => Object.keys(v).every((k) => keys.includes(k));

function isNeeds(v: unknown): boolean {
  return isRecord(v) && only(v, ['headers', 'variables', 'environment']) && Object.values(v).every(isNames);
}

function isTool(v: unknown): boolean {
  return (
    isRecord(v) &&
    only(v, ['name', 'description']) &&
    isString(v.name, PR_MAX_NAME) &&
    (v.description === undefined || isString(v.description, PR_MAX_DESCRIPTION))
  );
}

function isEndpoint(v: unknown): boolean {
  if (!isRecord(v)) return false;
  const keys = [
    'url',
    'transport',
    'reachable',
    'error',
    'protocolVersion',
    'serverInfo',
    'tools',
    'toolCount',
    'promptCount',
    'resourceCount',
    'fingerprint',
    'needs',
  ];
  if (!only(v, keys)) return false;
  const error = v.error;
  const info = v.serverInfo;
  return (
    isString(v.url, PR_MAX_URL) &&
    (TRANSPORTS as readonly unknown[]).includes(v.transport) &&
    typeof v.reachable === 'boolean' &&
    (error === undefined ||
      (isRecord(error) &&
        only(error, ['code', 'message']) &&
        (REASONS as readonly unknown[]).includes(error.code) &&
        isString(error.message, PR_MAX_MESSAGE))) &&
    (v.protocolVersion === undefined || isString(v.protocolVersion, 64)) &&
    (info === undefined || (isRecord(info) && only(info, ['name', 'version']) && isString(info.name, PR_MAX_NAME) && isString(info.version, 64))) &&
    Array.isArray(v.tools) &&
    v.tools.length <= PR_MAX_TOOLS &&
    v.tools.every(isTool) &&
    isCount(v.toolCount) &&
    isCount(v.promptCount) &&
    isCount(v.resourceCount) &&
    (v.fingerprint === undefined || (typeof v.fingerprint === 'string' && /^sha256:[0-9a-f]{64}$/.test(v.fingerprint))) &&
    (v.needs === undefined || isNeeds(v.needs))
  );
}

function isVersion(v: unknown): boolean {
  return (
    isRecord(v) &&
    only(v, ['path', 'name', 'version', 'endpoints', 'skipped']) &&
    isString(v.path, 1024) &&
    isString(v.name, 256) &&
    isString(v.version, 256) &&
    Array.isArray(v.endpoints) &&
    v.endpoints.length <= PR_MAX_ENDPOINTS &&
    v.endpoints.every(isEndpoint) &&
    Array.isArray(v.skipped) &&
    v.skipped.length <= 100 &&
    v.skipped.every((s) => isRecord(s) && only(s, ['key', 'why']) && isString(s.key, PR_MAX_URL) && isString(s.why, PR_MAX_MESSAGE))
  );
}

/** The `inspection` of a PR check result as the reporting job reads it: every field typed and within its cap. */
export function isPrInspection(v: unknown): v is PrInspection {
  return (
    isRecord(v) &&
    only(v, ['status', 'note', 'versions']) &&
    (v.status === 'ran' || v.status === 'skipped') &&
    (v.note === undefined || isString(v.note, PR_MAX_MESSAGE)) &&
    Array.isArray(v.versions) &&
    v.versions.length <= PR_MAX_VERSIONS &&
    v.versions.every(isVersion)
  );
}

const REASON_TEXT: Record<(typeof REASONS)[number], string> = {
  unreachable: 'unreachable',
  timeout: 'no answer in time',
  'auth-required': 'needs credentials',
  'protocol-error': 'not an MCP answer',
  'too-large': 'answer too large',
  'ssrf-refused': 'not a public https address',
  'rate-limited': 'asked us to slow down',
  'budget-exhausted': 'not asked: request budget spent',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function endpointLines(e: PrInspectedEndpoint): string[] {
  const where = `${escapeMarkdown(e.url)} (${e.transport})`;
  const needs = e.needs
    ? ` Needs ${Object.entries(e.needs)
        .map(([k, v]) => `${k} ${(v as string[]).map(escapeMarkdown).join(', ')}`)
        .join('; ')}: never guessed.`
    : '';
  if (!e.reachable) {
    const why = e.error ? `${REASON_TEXT[e.error.code]}: ${escapeMarkdown(e.error.message)}` : 'no answer';
    return [`- ❌ ${where}: did not answer (${why}).${needs}`];
  }
  const info = e.serverInfo ? `${escapeMarkdown(e.serverInfo.name)} ${escapeMarkdown(e.serverInfo.version)}` : 'a server';
  const protocol = e.protocolVersion ? `, protocol ${escapeMarkdown(e.protocolVersion)}` : '';
  const lines = [
    `- ✅ ${where}: answered: ${info}${protocol}; ${plural(e.toolCount, 'tool')}, ${plural(e.promptCount, 'prompt')}, ${plural(e.resourceCount, 'resource')}.${needs}`,
  ];
  for (const t of e.tools) lines.push(`  - ${escapeMarkdown(t.name)}${t.description ? `: ${escapeMarkdown(t.description)}` : ''}`);
  if (e.toolCount > e.tools.length) lines.push(`  - …and ${e.toolCount - e.tools.length} more`);
  return lines;
}

/**
 * The sticky comment's section (Markdown, at most `maxChars`): what each added version's remotes
 * offered, or why they were not asked. Every string from the artifact is escaped to plain text.
 */
export function renderInspectionSection(inspection: PrInspection | undefined, options: { docsBase: string; maxChars?: number }): string[] {
  if (inspection === undefined) return [];
  const max = Math.min(options.maxChars ?? PR_MAX_SECTION_CHARS, PR_MAX_SECTION_CHARS);
  const head = ['', '### What the added versions offer', ''];
  if (inspection.status === 'skipped') {
    head.push(`Not inspected: ${escapeMarkdown(inspection.note ?? 'the check did not inspect')}.`);
    return head.join('\n').length <= max ? head : [];
  }
  head.push(
    `Asked as an MCP client, without credentials, from the check job ([docs/inspection.md](${options.docsBase}/docs/inspection.md)). What a server says is its own text, shown as-is: read it before you trust it.`,
  );
  if (inspection.note) head.push('', escapeMarkdown(inspection.note));
  const out = [...head];
  let size = out.join('\n').length;
  if (size > max - 120) return [];
  let omitted = 0;
  for (const v of inspection.versions) {
    const lines = ['', `**${escapeMarkdown(v.name)} ${escapeMarkdown(v.version)}**`, ''];
    for (const e of v.endpoints) lines.push(...endpointLines(e));
    for (const s of v.skipped) lines.push(`- ➖ ${escapeMarkdown(s.key)}: not inspected (${escapeMarkdown(s.why)}).`);
    if (v.endpoints.length + v.skipped.length === 0) lines.push('- No remotes or packages to inspect.');
    let text = lines.join('\n');
    if (size + text.length + 1 > max - 120) {
      // The version's own lines, shortened to what fits: the tools go first.
      const short = lines.filter((l) => !l.startsWith('  - ')).join('\n');
      if (size + short.length + 1 > max - 120) {
        omitted++;
        continue;
      }
      text = short;
    }
    size += text.length + 1;
    out.push(text);
  }
  if (omitted > 0) out.push('', `…and ${plural(omitted, 'more version')}: run \`npx mcp-registry inspect --url URL\` to see what a remote offers.`);
  return out;
}
