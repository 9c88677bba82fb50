/**
 * How many versions one sync may mark deleted because a full walk no longer lists them (pure).
 * An upstream whose listing ends early (a truncated page, a bug, an attack) looks exactly like an
 * upstream that removed everything after that point, so removals above the limit are held until a
 * person confirms them with `--allow-removals N`.
 *
 *   sync:
 *     maxRemovals: { percent: 5, count: 50 }     # every upstream (these are the defaults)
 *   upstreams:
 *     - url: https://registry.modelcontextprotocol.io
 *       maxRemovals: { percent: 10, count: 200 } # this one only
 */
import { upstreamKey } from '../policy/upstreams.ts';
import { isRecord } from '../core/is-record.ts';
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';

export interface RemovalLimit {
  /** Of the versions mirrored from the upstream. */
  percent: number;
  /** And never more than this many in one run. */
  count: number;
}

export const DEFAULT_REMOVAL_LIMIT: RemovalLimit = { percent: 5, count: 50 };

/** The limit, or what is wrong with the configuration. */
export type RemovalLimitResult = Result<RemovalLimit>;

function readLimit(raw: unknown, where: string, base: RemovalLimit): RemovalLimitResult {
  if (raw === undefined || raw === null) return ok(base);
  if (!isRecord(raw)) return err(`${where} must be {percent, count}`);
  const limit = { ...base };
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (key !== 'percent' && key !== 'count') return err(`${where} has unknown key '${key}'; use percent and count`);
    const bad =
      typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (key === 'count' && !Number.isInteger(value)) || (key === 'percent' && value > 100);
    if (bad) return err(`${where}.${key} must be ${key === 'count' ? 'a whole number ≥ 0' : 'a number from 0 to 100'}; got ${JSON.stringify(value)}`);
    limit[key] = value as number;
  }
  return ok(limit);
}

/** The limit for `upstream` from registry.config.yaml (`extra` holds its sync and upstreams sections). */
export function removalLimitFor(extra: Record<string, unknown>, upstream: string): RemovalLimitResult {
  const sync = isRecord(extra.sync) ? extra.sync : {};
  if (extra.sync !== undefined && extra.sync !== null && !isRecord(extra.sync)) return err('sync must be a mapping (sync.maxRemovals)');
  const global = readLimit(sync.maxRemovals, 'sync.maxRemovals', DEFAULT_REMOVAL_LIMIT);
  if (!global.ok) return global;
  const key = upstreamKey(upstream);
  const list = Array.isArray(extra.upstreams) ? extra.upstreams : [];
  const index = list.findIndex((u) => isRecord(u) && typeof u.url === 'string' && upstreamKey(u.url) === key);
  if (index === -1) return global;
  return readLimit((list[index] as Record<string, unknown>).maxRemovals, `upstreams[${index}].maxRemovals`, global.value);
}

/**
 * The smaller of the two, so a large mirror is not stripped by 5% at once and a small one not by
 * 50; at least one, so a single removal upstream never needs confirming.
 */
export function allowedRemovals(limit: RemovalLimit, mirrored: number): number {
  return Math.min(limit.count, Math.max(1, Math.floor((mirrored * limit.percent) / 100)));
}
