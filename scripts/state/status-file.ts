/**
 * Reading and writing registry/status/<namespace>/<name>.yaml (layout fixed in core/registry-state.ts).
 * Pure: text in, value and diagnostics out; value in, deterministic text out.
 */
import { Document, LineCounter, Scalar, isMap, isNode, isScalar, parseDocument } from 'yaml';
import type { ServerStatus } from '../core/api-types.ts';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { pointerOf } from '../core/json-pointer.ts';
import type { StatusActor, StatusFile, VersionStatus } from '../core/registry-state.ts';

export const MAX_STATUS_MESSAGE = 500;
const STATUSES: readonly ServerStatus[] = ['active', 'deprecated', 'deleted'];
export const STATUS_ACTORS: readonly StatusActor[] = ['maintainer', 'owner'];
const TOP_KEYS = ['versions', 'latest', 'latestChangedBy'];
const VERSION_KEYS = ['status', 'statusMessage', 'statusChangedAt', 'statusChangedBy'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export interface ParsedStatusFile {
  value?: StatusFile;
  diagnostics: Diagnostic[];
}

/** Checks one version entry; shared by the parser and by the lifecycle transitions. */
export function versionStatusProblems(entry: VersionStatus): { code: string; message: string; key: string }[] {
  const out: { code: string; message: string; key: string }[] = [];
  const message = entry.statusMessage;
  if (entry.status !== 'active' && (message === undefined || message.trim() === '')) {
    out.push({
      code: 'lifecycle/message-required',
      key: 'statusMessage',
      message: `a ${entry.status} version needs a statusMessage that tells users why and what to use instead`,
    });
  }
  if (entry.status === 'active' && message !== undefined) {
    out.push({ code: 'lifecycle/message-with-active', key: 'statusMessage', message: 'an active version has no statusMessage; remove it' });
  }
  if (message !== undefined && [...message].length > MAX_STATUS_MESSAGE) {
    out.push({
      code: 'lifecycle/message-too-long',
      key: 'statusMessage',
      message: `statusMessage has ${[...message].length} characters; the limit is ${MAX_STATUS_MESSAGE}`,
    });
  }
  if (!RFC3339.test(entry.statusChangedAt) || Number.isNaN(Date.parse(entry.statusChangedAt))) {
    out.push({
      code: 'lifecycle/time',
      key: 'statusChangedAt',
      message: `statusChangedAt ${JSON.stringify(entry.statusChangedAt)} is not an RFC 3339 time such as 2026-01-31T12:00:00Z`,
    });
  }
  return out;
}

export function parseStatusFile(text: string, knownVersions?: readonly string[]): ParsedStatusFile {
  const lineCounter = new LineCounter();
  // failsafe: every scalar is a string, so a hand-written `1.0:` stays version "1.0", never the number 1.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, schema: 'failsafe' });
  const at = (path: (string | number)[], code: string, message: string): Diagnostic => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    const offset = isNode(node) && node.range ? node.range[0] : 0;
    const pos = offset > 0 || path.length > 0 ? lineCounter.linePos(offset) : { line: 0, col: 0 };
    return diagnostic(code, message, { pointer: pointerOf(path), line: pos.line, column: pos.col });
  };
  const [e] = doc.errors;
  if (e) {
    const pos = e.linePos?.[0] ?? { line: 0, col: 0 };
    return { diagnostics: [diagnostic('lifecycle/yaml', `not valid YAML: ${e.message.split('\n')[0]}`, { line: pos.line, column: pos.col })] };
  }
  const raw: unknown = doc.toJS() ?? {};
  const diagnostics: Diagnostic[] = [];
  if (!isRecord(raw)) return { diagnostics: [at([], 'lifecycle/shape', 'the status file must be a mapping with `versions` and optionally `latest`')] };
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.includes(key))
      diagnostics.push(at([key], 'lifecycle/shape', `unknown key ${JSON.stringify(key)}; only ${TOP_KEYS.map((k) => `\`${k}\``).join(', ')} are allowed`));
  }
  const actor = (v: unknown, path: string[]): StatusActor | undefined => {
    if (v === undefined) return undefined;
    if (STATUS_ACTORS.includes(v as StatusActor)) return v as StatusActor;
    diagnostics.push(at(path, 'lifecycle/shape', `${path.at(-1)} must be one of ${STATUS_ACTORS.join(', ')}`));
    return undefined;
  };
  const value: StatusFile = {};
  if (raw.latest !== undefined) {
    if (typeof raw.latest !== 'string' || raw.latest === '') diagnostics.push(at(['latest'], 'lifecycle/shape', '`latest` must be a version string'));
    else value.latest = raw.latest;
  }
  const latestBy = actor(raw.latestChangedBy, ['latestChangedBy']);
  if (latestBy !== undefined) value.latestChangedBy = latestBy;
  if (raw.versions !== undefined) {
    if (!isRecord(raw.versions)) {
      diagnostics.push(at(['versions'], 'lifecycle/shape', '`versions` must map version strings to {status, statusMessage, statusChangedAt}'));
    } else {
      value.versions = {};
      for (const [version, entry] of Object.entries(raw.versions)) {
        const path = ['versions', version];
        if (!isRecord(entry)) {
          diagnostics.push(at(path, 'lifecycle/shape', `version ${version} must be a mapping with status and statusChangedAt`));
          continue;
        }
        const unknown = Object.keys(entry).filter((k) => !VERSION_KEYS.includes(k));
        for (const k of unknown) diagnostics.push(at([...path, k], 'lifecycle/shape', `unknown key ${JSON.stringify(k)} in version ${version}`));
        if (!STATUSES.includes(entry.status as ServerStatus)) {
          diagnostics.push(at([...path, 'status'], 'lifecycle/status', `status must be one of ${STATUSES.join(', ')}`));
          continue;
        }
        if (entry.statusMessage !== undefined && typeof entry.statusMessage !== 'string') {
          diagnostics.push(at([...path, 'statusMessage'], 'lifecycle/shape', 'statusMessage must be a string'));
          continue;
        }
        const parsed: VersionStatus = {
          status: entry.status as ServerStatus,
          ...(entry.statusMessage !== undefined ? { statusMessage: entry.statusMessage as string } : {}),
          statusChangedAt: typeof entry.statusChangedAt === 'string' ? entry.statusChangedAt : String(entry.statusChangedAt ?? ''),
        };
        const by = actor(entry.statusChangedBy, [...path, 'statusChangedBy']);
        if (by !== undefined) parsed.statusChangedBy = by;
        for (const p of versionStatusProblems(parsed)) diagnostics.push(at([...path, p.key], p.code, `version ${version}: ${p.message}`));
        if (knownVersions && !knownVersions.includes(version)) {
          diagnostics.push(at(path, 'lifecycle/unknown-version', `version ${version} is not published under servers/; list only published versions`));
        }
        value.versions[version] = parsed;
      }
    }
  }
  if (value.latest !== undefined) {
    if (knownVersions && !knownVersions.includes(value.latest)) {
      diagnostics.push(at(['latest'], 'lifecycle/unknown-version', `latest names ${value.latest}, which is not published under servers/`));
    } else if (value.versions?.[value.latest]?.status === 'deleted') {
      diagnostics.push(at(['latest'], 'lifecycle/latest-deleted', `latest names ${value.latest}, which is deleted; pin another version or remove \`latest\``));
    }
  }
  return diagnostics.length > 0 ? { diagnostics } : { value, diagnostics };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deterministic YAML: keys in a fixed order, versions sorted. */
export function serializeStatusFile(file: StatusFile): string {
  const out: Record<string, unknown> = {};
  if (file.latest !== undefined) out.latest = file.latest;
  if (file.latestChangedBy !== undefined) out.latestChangedBy = file.latestChangedBy;
  if (file.versions && Object.keys(file.versions).length > 0) {
    const versions: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(file.versions).sort(([a], [b]) => compareKeys(a, b))) {
      versions[key] = {
        status: v.status,
        ...(v.statusMessage !== undefined ? { statusMessage: v.statusMessage } : {}),
        statusChangedAt: v.statusChangedAt,
        ...(v.statusChangedBy !== undefined ? { statusChangedBy: v.statusChangedBy } : {}),
      };
    }
    out.versions = versions;
  }
  const doc = new Document(out);
  // Quote versions and times, so no YAML reader (1.1 or 1.2) turns `1.10` into a number or a time into a date.
  const quote = (node: unknown): void => {
    if (isScalar(node)) node.type = Scalar.QUOTE_DOUBLE;
  };
  quote(doc.get('latest', true));
  const versions = doc.get('versions', true);
  if (isMap(versions)) {
    for (const pair of versions.items) {
      quote(pair.key);
      if (isMap(pair.value)) quote(pair.value.get('statusChangedAt', true));
    }
  }
  const header = "# Registry-owned lifecycle state. Written by `mcp-registry deprecate|delete|restore`; the author's files stay untouched.\n";
  return header + doc.toString({ lineWidth: 0 });
}
