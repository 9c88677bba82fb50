/**
 * The walk of a sync (the network edge): the upstream's pages from the journal's saved cursor to
 * the last one, with the two fallbacks an upstream may need — a registry without `/v0.1` is
 * walked at `/v0`, and one that cannot filter by `updated_since` (a static host answers 400) is
 * walked in full.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { warning } from '../core/diagnostics.ts';
import type { SyncCode } from './codes.ts';
import type { FetchPage, WalkOutcome, WalkState } from './page-walk.ts';
import { walkPages } from './page-walk.ts';
import { restoreWalk, savePage } from './sync-journal.ts';
import { apiBases } from './upstream-location.ts';

export interface UpstreamWalkOptions {
  root: string;
  slug: string;
  from: string;
  /** updated_since to ask for; undefined walks in full. */
  since?: string;
  limit: number;
  maxPages: number;
  fetchPage: FetchPage;
}

export interface UpstreamWalk {
  outcome: WalkOutcome;
  /** The API root walked (`…/v0.1` or `…/v0`). */
  base: string;
  state: WalkState;
  /** Every raw item of the walk, journaled pages first. */
  items: unknown[];
  /** What was really asked: undefined when the walk fell back to a full one. */
  since?: string;
  resumed: boolean;
  requests: number;
  bytes: number;
  /** Fallbacks taken (sync/updated-since-unsupported). */
  notes: Diagnostic[];
}

export async function walkUpstream(options: UpstreamWalkOptions): Promise<UpstreamWalk> {
  const { root, slug } = options;
  let since = options.since;
  const notes: Diagnostic[] = [];
  let requests = 0;
  let bytes = 0;
  const candidates = apiBases(options.from);
  for (let i = 0; ; ) {
    const base = candidates[i];
    if (base === undefined) throw new Error('sync: apiBases gave no address to walk');
    const restored = await restoreWalk(root, slug, base, since);
    const { state, items } = restored;
    const outcome = await walkPages(
      {
        base,
        limit: options.limit,
        maxPages: options.maxPages,
        fetchPage: options.fetchPage,
        ...(since !== undefined ? { since } : {}),
        onPage: async (page, s) => {
          items.push(...page);
          await savePage(root, slug, base, since, page, s);
        },
      },
      state,
    );
    requests += outcome.requests;
    bytes += outcome.bytes;
    const refusedWith = !outcome.ok && state.pages === 0 && outcome.diagnostic.code === ('sync/http-status' satisfies SyncCode) ? outcome.status : undefined;
    // A static host (nginx, Netlify) answers updated_since with 400: walk it in full instead,
    // which finds the same changes (and removals) without the filter.
    if (refusedWith === 400 && since !== undefined) {
      notes.push(
        warning(
          'sync/updated-since-unsupported' satisfies SyncCode,
          `${base}/servers answered 400 to updated_since (a static host cannot filter by time); walked the upstream in full instead`,
        ),
      );
      since = undefined;
      continue;
    }
    // A registry without /v0.1 may still serve /v0: try it before giving up.
    if (refusedWith !== 404 || i === candidates.length - 1) {
      return { outcome, base, state, items, ...(since === undefined ? {} : { since }), resumed: restored.resumed, requests, bytes, notes };
    }
    i += 1;
  }
}
