/**
 * Where an entry lives: `servers/<namespace>/<name>/<version>.json`. Names and versions come from
 * other people's data, so anything that could climb out of `servers/` or hide a file is refused; a
 * version that is not a plain file name gets its reversible encoded name (scripts/core/version-file.ts).
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { diagnostic } from '../core/diagnostics.ts';
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { EntryCode } from './codes.ts';
import { versionFileName } from '../core/version-file.ts';

const NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

/** The path relative to the registry root, or why the entry cannot have one. */
export type EntryPathResult = Result<string, Diagnostic>;

function refuse(code: EntryCode, pointer: string, message: string): EntryPathResult {
  return err(diagnostic(code, message, { pointer }));
}

/** True when `segment` is safe as one path segment on POSIX and Windows alike. */
export function isSafeSegment(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..' || segment.length > 255) return false;
  if (segment.startsWith('.')) return false;
  // Separators, control characters and characters Windows forbids in file names.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused in file names
  return !/[/\\\u0000-\u001f\u007f<>:"|?*]/.test(segment);
}

export function entryPath(name: unknown, version: unknown): EntryPathResult {
  if (typeof name !== 'string' || !NAME.test(name)) {
    return refuse(
      'entry/unsafe-name',
      '/name',
      `the name ${JSON.stringify(name)} is not '<namespace>/<server>' with letters, digits, '.', '-' and '_' only; it cannot name a folder under servers/`,
    );
  }
  const [namespace, server] = name.split('/') as [string, string];
  if (!isSafeSegment(namespace) || !isSafeSegment(server)) {
    return refuse('entry/unsafe-name', '/name', `the name '${name}' has a part that is empty or starts with '.'; it cannot name a folder under servers/`);
  }
  const file = typeof version === 'string' && version !== '' ? versionFileName(version) : undefined;
  if (file === undefined || !isSafeSegment(file)) {
    return refuse(
      'entry/unsafe-version',
      '/version',
      `the version ${JSON.stringify(version)} cannot name a file, not even encoded (empty, not a string, or over 250 bytes encoded); publish a plain version such as 1.2.3`,
    );
  }
  return ok(`servers/${namespace}/${server}/${file}.json`);
}
