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

/**
 * Date.parse of `YYYY-MM-DDTHH:MM:SS` plus `Z` or an offset, with V8's ranges (any day up to
 * 31, 24:00:00, offsets up to 23:59), in plain arithmetic: njs, which runs this code inside
 * nginx, has a Date.parse that takes no offsets and accepts any number.
 */
function utcMillis(dateTime: string, zone: string): number {
  const at = (from: number) => Number(dateTime.slice(from, from + 2));
  const [month, day, hour, minute, second] = [at(5), at(8), at(11), at(14), at(17)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59) return Number.NaN;
  if (hour === 24 && (minute > 0 || second > 0)) return Number.NaN;
  let offset = 0;
  if (zone !== 'Z') {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(4, 6));
    if (hours > 23 || minutes > 59) return Number.NaN;
    offset = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  const date = new Date(0);
  date.setUTCFullYear(Number(dateTime.slice(0, 4)), month - 1, day);
  date.setUTCHours(hour, minute - offset, second, 0);
  return date.getTime();
}

function parts(text: string): { seconds: string; digits: string } | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const ms = utcMillis(m[1] as string, m[3] as string);
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
