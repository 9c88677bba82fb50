/**
 * The registry values an upstream sends beside each server.json (`_meta` official block, seed
 * release dates), checked before anything of them is written (pure). Sync and import copy these
 * values into registry/status/ and registry/upstream/, which every later build reads, so one bad
 * value must refuse its entry rather than reach those files.
 */
import { OFFICIAL_META_KEY } from '../core/api-types.ts';
import type { ServerStatus } from '../core/api-types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { diagnostic } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import type { EntryCode } from './codes.ts';

/** The upstream's registry metadata for one version, as far as it was given. */
export interface UpstreamOfficial {
  status?: ServerStatus;
  statusMessage?: string;
  statusChangedAt?: string;
  publishedAt?: string;
  updatedAt?: string;
  isLatest?: true;
}

const STATUSES = new Set<string>(['active', 'deprecated', 'deleted']);
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 time every reader of the state files accepts: upper-case T and Z, a real calendar
 * day (no February 30, which Date.parse rolls over), no leap second, years 0001 to 9999 in UTC.
 */
export function isRfc3339(text: string): boolean {
  const m = PATTERN.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours = '0', offsetMinutes = '0'] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return false;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return false;
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString().length === 24;
}

function refused(field: string, value: unknown, expected: string): Diagnostic {
  const shown = JSON.stringify(value)?.slice(0, 80) ?? String(value);
  return diagnostic(
    'entry/invalid-upstream-meta' satisfies EntryCode,
    `the upstream's ${field} is ${shown}, not ${expected}; the entry is quarantined so the value never reaches registry/status/ or registry/upstream/. Ask the upstream to fix it`,
  );
}

const DATE_FIELDS = ['statusChangedAt', 'publishedAt', 'updatedAt'] as const;

/** A date from outside (the official block, a seed release date): absent (undefined, null, ''), or RFC 3339. */
export function upstreamDate(field: string, value: unknown): { value?: string; problem?: Diagnostic } {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string' && isRfc3339(value)) return { value };
  return { problem: refused(field, value, 'an RFC 3339 time such as 2025-09-08T23:47:09Z') };
}

/** The official block of a ServerResponse `_meta`, and a problem for each value that cannot be written. */
export function readOfficial(meta: unknown): { official: UpstreamOfficial; problems: Diagnostic[] } {
  const block = isRecord(meta) ? meta[OFFICIAL_META_KEY] : undefined;
  const official: UpstreamOfficial = {};
  const problems: Diagnostic[] = [];
  if (block === undefined || block === null) return { official, problems };
  const where = `_meta["${OFFICIAL_META_KEY}"]`;
  if (!isRecord(block)) return { official, problems: [refused(where, block, 'an object')] };
  if (block.status !== undefined && block.status !== null) {
    if (typeof block.status === 'string' && STATUSES.has(block.status)) official.status = block.status as ServerStatus;
    else problems.push(refused(`${where}.status`, block.status, 'one of active, deprecated, deleted'));
  }
  const message = block.statusMessage;
  if (typeof message === 'string') {
    // A blank message is no message: the registry writes its own, as for a missing one.
    if (message.trim() !== '') official.statusMessage = message;
  } else if (message !== undefined && message !== null) {
    problems.push(refused(`${where}.statusMessage`, message, 'a string'));
  }
  if (block.isLatest === true) official.isLatest = true;
  for (const key of DATE_FIELDS) {
    const date = upstreamDate(`${where}.${key}`, block[key]);
    if (date.value !== undefined) official[key] = date.value;
    if (date.problem) problems.push(date.problem);
  }
  return { official, problems };
}
