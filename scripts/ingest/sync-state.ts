/** What a sync remembers about an upstream between runs: `registry/sync/<slug>.json` (pure). */
import { createHash } from 'node:crypto';
import type { Upstream } from '../policy/upstreams.ts';
import { upstreamKey } from '../policy/upstreams.ts';

export interface SavedSync {
  upstream: string;
  watermark?: string;
  /** Digest of the policy and upstream order the watermark was reached under. */
  policy?: string;
}

export function syncStatePath(slug: string): string {
  return `registry/sync/${slug}.json`;
}

/** Entries an earlier policy or upstream order left out lie behind the watermark: a change means a full walk. */
export function policyDigest(policy: unknown, upstreams: readonly Upstream[]): string {
  return createHash('sha256')
    .update(JSON.stringify([policy ?? null, upstreams.map((u) => upstreamKey(u.url))]))
    .digest('hex')
    .slice(0, 16);
}

export function renderSavedSync(saved: SavedSync): string {
  return `${JSON.stringify(saved, null, 2)}\n`;
}
