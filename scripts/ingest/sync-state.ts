/** What a sync remembers about an upstream between runs: `registry/sync/<slug>.json` (pure). */
import { createHash } from 'node:crypto';
import type { Upstream } from '../policy/upstreams.ts';
import { upstreamKey } from '../policy/upstreams.ts';

export interface SavedSync {
  upstream: string;
  watermark?: string;
  /** Digest of the policy and upstream order the watermark was reached under. */
  policy?: string;
  /** The upstream's transparency-log checkpoint this mirror last took (upstream-log.ts). */
  log?: SavedLog;
}

/** A checkpoint a sync verified: the next sync proves the upstream's tree extends it. */
export interface SavedLog {
  origin: string;
  size: number;
  /** Base64 root hash. */
  root: string;
  /** The verifier keys it was checked against (pinned, or taken on first use); empty for an unsigned log. */
  keys: string[];
  /** The signed note as served, so anyone can check the signature again. */
  checkpoint: string;
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
