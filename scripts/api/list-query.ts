/**
 * Query parameters of `GET /v0.1/servers`, checked as the official server checks them:
 * type and bounds failures are 422 "validation failed" (huma, every failing parameter in one
 * answer), a bad `updated_since`, `updated_since` with `include_deleted=false` or a NUL byte
 * in `search` is 400, unknown parameters are ignored.
 */
import type { ErrorBody } from '../core/api-types.ts';
import { instantKey } from '../core/compare.ts';
import type { Result } from '../core/result.ts';
import type { ParamError } from './api-errors.ts';
import { errorBody, MESSAGES, validationFailed } from './api-errors.ts';

export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

export interface Cursor {
  name: string;
  /** Absent for the official fallback form: a bare name, meaning "after every version of it". */
  version?: string;
}

export interface ListQuery {
  limit: number;
  cursor?: Cursor;
  search?: string;
  /** instantKey of the time; entries updated strictly after it. Turns on includeDeleted. */
  updatedSince?: string;
  /** `latest` or an exact version. */
  version?: string;
  includeDeleted: boolean;
}

/** A parsed parameter, or the error body the official server answers for it. */
export type Parsed<T> = Result<T, ErrorBody>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Our cursors: base64url of `name:version` (safe in any URL and file name, nothing to encode). */
export function encodeCursor(entry: { name: string; version: string }): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${entry.name}:${entry.version}`)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): string | undefined {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** Our cursor when `text` is one: base64url of `name:version` with a well-formed name. */
function ourCursor(text: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const raw = fromBase64url(text);
  const colon = raw?.indexOf(':') ?? -1;
  if (raw === undefined || colon <= 0) return undefined;
  const name = raw.slice(0, colon);
  return /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/.test(name) ? { name, version: raw.slice(colon + 1) } : undefined;
}

/**
 * Any cursor is a position, as in the official keyset pagination: ours, the official
 * `name:version`, or (the official fallback for anything else) a bare name.
 */
export function decodeCursor(text: string): Cursor {
  const ours = ourCursor(text);
  if (ours) return ours;
  const colon = text.indexOf(':');
  return colon === -1 ? { name: text } : { name: text.slice(0, colon), version: text.slice(colon + 1) };
}

const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

function readIncludeDeleted(params: URLSearchParams): Result<boolean, ParamError> {
  const value = params.get('include_deleted');
  if (value === null || value === '' || FALSE.includes(value)) return { ok: true, value: false };
  if (TRUE.includes(value)) return { ok: true, value: true };
  return { ok: false, error: { location: 'query.include_deleted', message: 'invalid boolean', value } };
}

/** `include_deleted`, read as Go's strconv.ParseBool reads it; the per-server endpoints take it too. */
export function parseIncludeDeleted(params: URLSearchParams): Parsed<boolean> {
  const read = readIncludeDeleted(params);
  return read.ok ? read : { ok: false, error: validationFailed(read.error.location, read.error.message, read.error.value) };
}

/** The bounds and type of `limit` (huma's checks), or its value. */
function parseLimit(limit: string | null): Result<number, ParamError> {
  if (limit === null || limit === '') return { ok: true, value: DEFAULT_LIMIT };
  if (!/^[+-]?\d+$/.test(limit)) return { ok: false, error: { location: 'query.limit', message: 'invalid integer', value: limit } };
  const n = Number(limit);
  if (n < 1) return { ok: false, error: { location: 'query.limit', message: 'expected number >= 1', value: n } };
  if (n > MAX_LIMIT) return { ok: false, error: { location: 'query.limit', message: `expected number <= ${MAX_LIMIT}`, value: n } };
  return { ok: true, value: n };
}

/**
 * As the official server: first every parameter failing its type or bounds, reported
 * together in one 422; then the handler's own 400s (a bad `updated_since`, `updated_since`
 * with an explicit `include_deleted=false`, a NUL byte in `search`).
 */
export function parseListQuery(params: URLSearchParams): Parsed<ListQuery> {
  const limit = parseLimit(params.get('limit'));
  const includeDeleted = readIncludeDeleted(params);
  const [first, ...more] = [limit, includeDeleted].flatMap((r) => (r.ok ? [] : [r.error]));
  if (first !== undefined) return { ok: false, error: validationFailed(first.location, first.message, first.value, more) };
  const query: ListQuery = { limit: limit.ok ? limit.value : DEFAULT_LIMIT, includeDeleted: includeDeleted.ok && includeDeleted.value };
  const since = params.get('updated_since');
  if (since !== null && since !== '') {
    const key = RFC3339.test(since) ? instantKey(since) : undefined;
    if (key === undefined) return { ok: false, error: errorBody(400, MESSAGES.badUpdatedSince) };
    if (FALSE.includes(params.get('include_deleted') ?? '')) return { ok: false, error: errorBody(400, MESSAGES.sinceWithoutDeleted) };
    query.updatedSince = key;
    query.includeDeleted = true;
  }
  const cursor = params.get('cursor');
  if (cursor !== null && cursor !== '') {
    query.cursor = decodeCursor(cursor);
  }
  const search = params.get('search');
  if (search?.includes('\0')) return { ok: false, error: errorBody(400, MESSAGES.nulInSearch) };
  if (search !== null && search !== '') query.search = search.toLowerCase();
  const version = params.get('version');
  if (version !== null && version !== '') query.version = version;
  return { ok: true, value: query };
}
