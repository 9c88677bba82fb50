/**
 * The file name of a version under `servers/<namespace>/<name>/` (pure). A version that is a safe
 * file name is used as it is; any other (`{{VERSION}}`, `1.0.1º`, `v1/2`) is written as `_` and its
 * UTF-8 bytes percent-encoded, which no plain version can look like (plain ones start with a letter
 * or digit), so the name decodes back to exactly the version. The version itself always comes from
 * the file's content; the name only has to agree with it.
 */

/** Letters, digits, '.', '-', '_' and '+', starting with a letter or digit, never '..'. */
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
/** Bytes an encoded name keeps as they are; everything else becomes %XX. */
const KEPT = /^[A-Za-z0-9_+-]$/;
/** A file name stays within 255 bytes with room for the `.json` extension. */
const MAX_NAME = 250;

export const ENCODED_PREFIX = '_';

export function isPlainVersion(version: string): boolean {
  return PLAIN.test(version) && !version.includes('..');
}

/** The file name without `.json`, or undefined when the encoded form would be too long for a file name. */
export function versionFileName(version: string): string | undefined {
  if (isPlainVersion(version)) return version.length <= MAX_NAME ? version : undefined;
  let out = ENCODED_PREFIX;
  for (const byte of new TextEncoder().encode(version)) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && KEPT.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out.length <= MAX_NAME ? out : undefined;
}

/** The version a file name (without `.json`) stands for: the inverse of versionFileName. */
export function versionFromFileName(name: string): string {
  if (!name.startsWith(ENCODED_PREFIX)) return name;
  try {
    return decodeURIComponent(name.slice(ENCODED_PREFIX.length));
  } catch {
    return name;
  }
}
