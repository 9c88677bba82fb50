/**
 * Log entries: one per published version (and one per status change), as UTF-8 JSON with a fixed
 * key order so that the same history always gives the same bytes. Their order is the order the
 * caller derives from git history (publication order); ties are broken by name then version, so
 * two builds of one history agree.
 */
import { createHash } from 'node:crypto';

export interface LogEntry {
  name: string;
  version: string;
  /** Lower-case hex SHA-256 of the exact bytes of servers/<ns>/<name>/<version>.json. */
  sha256: string;
  publishedAt: string;
  /** Set for status-change leaves (deprecated, deleted, active). */
  status?: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The entry's bytes: JSON with keys in one fixed order. */
export function encodeEntry(e: LogEntry): Uint8Array {
  const ordered: Record<string, string> = { name: e.name, version: e.version, sha256: e.sha256, publishedAt: e.publishedAt };
  if (e.status !== undefined) ordered.status = e.status;
  return new TextEncoder().encode(JSON.stringify(ordered));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Entries in log order: by the git commit's position in history (`order`, oldest first), then
 * name, then version, then status (publication before status changes of the same commit).
 */
export function orderEntries(entries: readonly { entry: LogEntry; order: number }[]): LogEntry[] {
  return [...entries]
    .sort(
      (a, b) =>
        a.order - b.order ||
        compareText(a.entry.name, b.entry.name) ||
        compareText(a.entry.version, b.entry.version) ||
        compareText(a.entry.status ?? '', b.entry.status ?? ''),
    )
    .map((x) => x.entry);
}

/**
 * Where the exact bytes an entry hashes are served, below the log: `servers/<namespace>@<name>@<version>.json`
 * (one flat folder, as the API's entries). Undefined for a version that cannot be part of a file name
 * (empty, leading dot, or one of `/ \ NUL ? # % * : < > | " @`): such versions are in the log but not served.
 */
export function servedPath(name: string, version: string): string | undefined {
  if (version === '' || version.startsWith('.') || /[/\\\0?#%*:<>|"@]/.test(version)) return undefined;
  const path = `servers/${name.replace('/', '@')}@${version}.json`;
  return Buffer.byteLength(path) - 'servers/'.length > 250 ? undefined : path;
}
