/**
 * Query parameters of `GET /v0.1/servers`, checked as the official server checks them:
 * type and bounds failures are 422 "validation failed" (huma), a bad `updated_since` or
 * cursor is 400, unknown parameters are ignored.
 */
import type { ErrorBody } from '../core/api-types.ts';
import { instantKey } from '../core/compare.ts';
import type { Result } from '../core/result.ts';
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

/** `include_deleted`, read as Go's strconv.ParseBool reads it; the per-server endpoints take it too. */
export function parseIncludeDeleted(params: URLSearchParams): Parsed<boolean> {
  const value = params.get('include_deleted');
  if (value === null || value === '' || FALSE.includes(value)) return { ok: true, value: false };
  if (TRUE.includes(value)) return { ok: true, value: true };
  return { ok: false, error: validationFailed('query.include_deleted', 'invalid boolean', value) };
}

export function parseListQuery(params: URLSearchParams): Parsed<ListQuery> {
  const query: ListQuery = { limit: DEFAULT_LIMIT, includeDeleted: false };
  const limit = params.get('limit');
  if (limit !== null && limit !== '') {
    if (!/^[+-]?\d+$/.test(limit)) return { ok: false, error: validationFailed('query.limit', 'invalid integer', limit) };
    const n = Number(limit);
    if (n < 1) return { ok: false, error: validationFailed('query.limit', 'expected number >= 1', n) };
    if (n > MAX_LIMIT) return { ok: false, error: validationFailed('query.limit', `expected number <= ${MAX_LIMIT}`, n) };
    query.limit = n;
  }
  const includeDeleted = parseIncludeDeleted(params);
  if (!includeDeleted.ok) return includeDeleted;
  query.includeDeleted = includeDeleted.value;
  const since = params.get('updated_since');
  if (since !== null && since !== '') {
    const key = RFC3339.test(since) ? instantKey(since) : undefined;
    if (key === undefined) return { ok: false, error: errorBody(400, MESSAGES.badUpdatedSince) };
    query.updatedSince = key;
    query.includeDeleted = true;
  }
  const cursor = params.get('cursor');
  if (cursor !== null && cursor !== '') {
    query.cursor = decodeCursor(cursor);
  }
  const search = params.get('search');
  if (search !== null && search !== '') query.search = search.toLowerCase();
  const version = params.get('version');
  if (version !== null && version !== '') query.version = version;
  return { ok: true, value: query };
}
