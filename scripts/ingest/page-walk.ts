/**
 * Walks an upstream's `GET /servers` pages (pure apart from the injected fetcher): follows
 * `nextCursor`, refuses cursors that come back, pages that bring nothing new, pages that are not
 * an API page, and walks longer than `maxPages`. Counts requests and bytes.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { diagnostic, warning } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import type { SyncCode } from './codes.ts';

/** Why a request got no answer: the HTTP client's failure code and, for `network`, the system error code. */
export interface FetchFailure {
  code: string;
  systemCode?: string;
}

export type PageFetch =
  | { ok: true; status: number; body: Buffer; bytes: number; attempts: number; date?: string }
  | ({ ok: false; message: string; attempts: number; status?: number } & FetchFailure);

export type FetchPage = (url: string) => Promise<PageFetch>;

export interface WalkState {
  /** Cursor for the next request; undefined before the first page and after the last. */
  cursor?: string | undefined;
  pages: number;
  /** `name@version` of every entry seen so far. */
  seen: Set<string>;
  cursors: Set<string>;
  /** The upstream's clock (HTTP Date) when the walk started, if it sent one. */
  startedAt?: string;
}

export interface WalkOptions {
  /** API root, such as `https://registry.example.com/v0.1`. */
  base: string;
  since?: string;
  limit: number;
  maxPages: number;
  fetchPage: FetchPage;
  /** Called with each page's raw items once it is accepted (the journal saves them). */
  onPage?: (items: unknown[], state: WalkState) => Promise<void>;
}

export type WalkOutcome =
  | { ok: true; notes: Diagnostic[]; requests: number; bytes: number }
  | { ok: false; diagnostic: Diagnostic; requests: number; bytes: number; transient: boolean; status?: number; failure?: FetchFailure };

function problem(code: SyncCode, message: string): Diagnostic {
  return diagnostic(code, message);
}

/** The system errors that mean nothing answers at that address: the upstream is not there, not misbehaving. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED']);

/** True when the request never reached an upstream (the name does not resolve, or nothing listens). */
export function isUnreachable(failure: FetchFailure | undefined): boolean {
  return failure?.code === 'network' && failure.systemCode !== undefined && UNREACHABLE.has(failure.systemCode);
}

export function pageUrl(options: Pick<WalkOptions, 'base' | 'since' | 'limit'>, cursor: string | undefined): string {
  const params = new URLSearchParams();
  params.set('limit', String(options.limit));
  if (cursor !== undefined) params.set('cursor', cursor);
  // updated_since turns include_deleted on upstream; a full walk asks for deleted entries too.
  if (options.since !== undefined) params.set('updated_since', options.since);
  else params.set('include_deleted', 'true');
  return `${options.base}/servers?${params.toString()}`;
}

function keyOf(item: unknown): string | undefined {
  const server = isRecord(item) && isRecord(item.server) ? item.server : undefined;
  return server ? `${String(server.name)}@${String(server.version)}` : undefined;
}

export function newWalkState(): WalkState {
  return { pages: 0, seen: new Set(), cursors: new Set() };
}

/** Continues the walk from `state` (fresh, or restored from a journal) to the last page. */
export async function walkPages(options: WalkOptions, state: WalkState): Promise<WalkOutcome> {
  let requests = 0;
  let bytes = 0;
  const notes: Diagnostic[] = [];
  const fail = (problem: Diagnostic, transient = false, status?: number, failure?: FetchFailure): WalkOutcome => ({
    ok: false,
    diagnostic: problem,
    requests,
    bytes,
    transient,
    ...(status === undefined ? {} : { status }),
    ...(failure === undefined ? {} : { failure }),
  });
  for (;;) {
    if (state.pages >= options.maxPages) {
      return fail(
        problem(
          'sync/too-many-pages',
          `the upstream is still paginating after ${options.maxPages} pages; its cursor may never end. Raise --max-pages if the registry is really that large`,
        ),
      );
    }
    const url = pageUrl(options, state.cursor);
    const res = await options.fetchPage(url);
    requests += res.attempts;
    if (!res.ok) {
      const transient = res.code === 'timeout' || res.code === 'network' || res.code === 'status';
      const code = res.code === 'too-large' ? 'sync/page-too-large' : 'sync/http';
      const failure: FetchFailure = { code: res.code, ...(res.systemCode === undefined ? {} : { systemCode: res.systemCode }) };
      return fail(problem(code, `${res.message}${transient ? '; run sync again to resume from this page' : ''}`), transient, undefined, failure);
    }
    bytes += res.bytes;
    if (state.pages === 0 && state.startedAt === undefined && res.date !== undefined) state.startedAt = res.date;
    if (res.status !== 200) {
      return fail(
        problem('sync/http-status', `GET ${url} → ${res.status}; expected 200 with an API page. Check --from names a /v0.1 or /v0 registry API`),
        false,
        res.status,
      );
    }
    let page: unknown;
    try {
      page = JSON.parse(res.body.toString('utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      return fail(problem('sync/page-not-json', `GET ${url} did not return JSON (${(error as Error).message}); is --from a registry API?`));
    }
    if (!isRecord(page) || !Array.isArray(page.servers)) {
      return fail(problem('sync/page-shape', `GET ${url} returned JSON without a 'servers' list; expected {servers: [...], metadata: {nextCursor?, count}}`));
    }
    const metadata = isRecord(page.metadata) ? page.metadata : {};
    const fresh: unknown[] = [];
    for (const item of page.servers) {
      const key = keyOf(item);
      if (key === undefined) {
        fresh.push(item);
        continue;
      }
      if (state.seen.has(key)) {
        notes.push(warning('sync/duplicate-entry' satisfies SyncCode, `${key} was listed again on page ${state.pages + 1}; the repeat is ignored`));
        continue;
      }
      state.seen.add(key);
      fresh.push(item);
    }
    if (page.servers.length > 0 && fresh.length === 0) {
      return fail(
        problem(
          'sync/no-progress',
          `page ${state.pages + 1} (${url}) only repeats entries already seen; the upstream's pagination is broken, so the sync stops`,
        ),
      );
    }
    state.pages += 1;
    const next = typeof metadata.nextCursor === 'string' && metadata.nextCursor !== '' ? metadata.nextCursor : undefined;
    if (next !== undefined && state.cursors.has(next)) {
      return fail(problem('sync/cursor-loop', `the upstream returned cursor '${next}' a second time; following it would loop forever, so the sync stops`));
    }
    if (next !== undefined) state.cursors.add(next);
    state.cursor = next;
    await options.onPage?.(fresh, state);
    if (next === undefined || page.servers.length === 0) return { ok: true, notes, requests, bytes };
  }
}
