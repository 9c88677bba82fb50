/**
 * The orders every stage shares: plain code-unit order for names, versions and paths, and time
 * order for RFC 3339 instants.
 *
 * Instants are RFC 3339 text at the precision it was written. The official registry answers
 * microseconds (`2025-09-08T23:47:09.452138Z`, trailing zeros trimmed), Date keeps
 * milliseconds, and strings of different precision do not sort as times ("…09.45213Z" sorts
 * after "…09.452138Z"). So mirrored dates keep their digits and are compared through a
 * fixed-width key.
 */

/** Plain code-unit order, as used for list order and cursors (name, then version). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

function parts(text: string): { seconds: string; digits: string } | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const seconds = new Date(ms).toISOString();
  // Years outside 0000–9999 have no fixed-width ISO form.
  if (seconds.length !== 24) return undefined;
  return { seconds: seconds.slice(0, 19), digits: (m[2] ?? '').slice(0, 9) };
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn` in UTC: plain string order is time order. */
export function instantKey(text: string): string | undefined {
  const p = parts(text);
  return p && `${p.seconds}.${p.digits.padEnd(9, '0')}`;
}

/**
 * The UTC form we answer: `toISOString()` (milliseconds) unless the text has finer digits,
 * which are kept as written, as the official registry writes them.
 */
export function canonicalInstant(text: string): string | undefined {
  const p = parts(text);
  if (!p) return undefined;
  return p.digits.length > 3 ? `${p.seconds}.${p.digits}Z` : new Date(text).toISOString();
}

/** Time order of two RFC 3339 instants; text that is none sorts by code units after them. */
export function compareInstants(a: string, b: string): number {
  // Same-length UTC forms (every toISOString value) sort as strings; only mixed precisions need keys.
  if (a.length === b.length && a.endsWith('Z') && b.endsWith('Z')) return compareStrings(a, b);
  const ka = instantKey(a);
  const kb = instantKey(b);
  if (ka !== undefined && kb !== undefined) return compareStrings(ka, kb);
  if (ka !== undefined) return -1;
  if (kb !== undefined) return 1;
  return compareStrings(a, b);
}
