/**
 * How the official registry orders versions: strict three-part semver where both sides are
 * semver, publish time where neither is, and a semver version beats a non-semver one.
 */
import { compareSemver, parseSemver } from '../core/semver.ts';
import { compareInstants, compareStrings } from '../core/compare.ts';

export interface Versioned {
  version: string;
  publishedAt: string;
}

/**
 * Negative when `a` is older than `b` in the official sense. Ties fall back to the version
 * string so that the order is total and the output deterministic.
 */
export function compareVersions(a: Versioned, b: Versioned): number {
  const sa = parseSemver(a.version);
  const sb = parseSemver(b.version);
  let c = 0;
  if (sa && sb) c = compareSemver(sa, sb);
  else if (sa) c = 1;
  else if (sb) c = -1;
  if (c === 0) c = compareInstants(a.publishedAt, b.publishedAt);
  if (c === 0) c = compareStrings(a.version, b.version);
  return c;
}
