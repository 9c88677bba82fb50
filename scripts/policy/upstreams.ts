/**
 * Upstreams a subregistry mirrors, from `upstreams:` in registry.config.yaml, and which one wins
 * when two provide the same server name (pure).
 *
 *   upstreams:
 *     - url: https://registry.modelcontextprotocol.io   # listed first: wins over the ones below
 *     - url: https://mcp.partner.example
 *
 * Entries written by hand in servers/ (no provenance file) always win over any upstream; an
 * upstream that is not listed ranks below every listed one.
 */
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';

export interface Upstream {
  url: string;
}

/** The upstreams in order, or every problem with the list. */
export type UpstreamsResult = Result<Upstream[], string[]>;

/** Comparable form of an upstream URL: no trailing slash, no `/v0`/`/v0.1` suffix, lower-case origin. */
export function upstreamKey(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.replace(/\/+$/, '').replace(/\/v0(\.1)?$/, '');
    return `${u.origin.toLowerCase()}${path}`;
  } catch {
    return url.replace(/\/+$/, '');
  }
}

export function parseUpstreams(raw: unknown): UpstreamsResult {
  if (raw === undefined || raw === null) return ok([]);
  if (!Array.isArray(raw)) return err(['upstreams must be a list of {url}']);
  const errors: string[] = [];
  const upstreams: Upstream[] = [];
  for (const [i, item] of raw.entries()) {
    const url = typeof item === 'string' ? item : typeof item === 'object' && item !== null ? (item as { url?: unknown }).url : undefined;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) errors.push(`upstreams[${i}].url must be an http(s) URL`);
    else upstreams.push({ url });
  }
  return errors.length > 0 ? err(errors) : ok(upstreams);
}

/** Lower is stronger; unlisted upstreams rank after all listed ones. */
export function upstreamRank(upstreams: readonly Upstream[], url: string): number {
  const key = upstreamKey(url);
  const index = upstreams.findIndex((u) => upstreamKey(u.url) === key);
  return index === -1 ? upstreams.length : index;
}

export type NameOwner = { kind: 'local' } | { kind: 'upstream'; url: string } | undefined;

/** Undefined when `candidate` may write the name; otherwise why it may not. */
export function precedenceConflict(upstreams: readonly Upstream[], candidate: string, owner: NameOwner): string | undefined {
  if (owner === undefined) return undefined;
  if (owner.kind === 'local') return 'the name has entries written in this repository, which win over any upstream';
  if (upstreamKey(owner.url) === upstreamKey(candidate)) return undefined;
  if (upstreamRank(upstreams, owner.url) <= upstreamRank(upstreams, candidate)) {
    return `the name is mirrored from ${owner.url}, which ranks above ${candidate} in upstreams`;
  }
  return undefined;
}
