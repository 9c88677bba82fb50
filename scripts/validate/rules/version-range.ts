/**
 * Whether a version string reads as a range rather than one version, by the official registry's
 * heuristics, so that both registries refuse exactly the same strings. Free-form versions that only
 * look range-ish (`snapshot - 2025.09`) are versions; a bare `*` is too, as the official registry has it.
 */

/** `1`, `v1.2`, `1.2.3.4`, each optionally with a `-prerelease`. */
const VERSION = String.raw`v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?`;
const COMPARATOR = new RegExp(String.raw`^(?:\^|~|>=|<=|>|<|=)\s*${VERSION}$`);
const HYPHEN = new RegExp(String.raw`^${VERSION}\s-\s*${VERSION}$`);
const EITHER = new RegExp(String.raw`^${VERSION}\s*(?:\|\|\s*${VERSION}\s*)+$`);
/** Two or three dotted parts, any of which may be a wildcard: `1.x`, `1.2.*`, `x.X`. */
const DOTTED = /^(?:v?\d+|[xX*])(?:\.(?:\d+|[xX*])){1,2}(?:-[0-9A-Za-z.-]+)?$/;

export function looksLikeVersionRange(version: string): boolean {
  const v = version.trim();
  if (v === '') return false;
  if (COMPARATOR.test(v) || HYPHEN.test(v) || EITHER.test(v)) return true;
  // As officially: any x, X or * anywhere in a dotted version makes it a range, even inside the
  // prerelease part, so `1.0.0-linux-x64` reads as a range too.
  return DOTTED.test(v) && /[xX*]/.test(v);
}
