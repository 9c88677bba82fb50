/**
 * Where each API answer lives as a file.
 *
 * Per-server answers sit side by side in one folder, `v0.1/entries/`, named
 * `<namespace>@<name>@<version>.json`, `…@@versions.json` and `…@@latest.json` (`@` occurs in
 * neither half of a server name, and versions with `@` get no file). One flat folder instead of
 * two folders per server: creating folders is what makes writing tens of thousands of small
 * files slow (see docs/benchmarks.md). nginx maps URLs onto these names; hosts that can only
 * serve the URL's own path (GitHub Pages, Netlify) also get a copy laid out like the URLs
 * (hosts/url-layout.ts).
 */

export const LIST_FILE = 'v0.1/servers.json';
export const HEALTH_FILE = 'v0.1/health.json';
export const PING_FILE = 'v0.1/ping.json';
export const VERSION_FILE = 'v0.1/version.json';
export const SNAPSHOT_FILE = 'v0.1/snapshot.json.gz';
export const CHANGES_FILE = 'v0.1/changes.json';
/** Followed renames (old name → new) and the `_meta` key their answers carry; `serve` reads it beside the snapshot. */
export const RENAMES_FILE = 'v0.1/renames.json';
export const OPENAPI_FILE = 'openapi.yaml';
export const ENTRIES_DIR = 'v0.1/entries';

/** File names longer than this are refused by common file systems. */
const MAX_FILE_NAME = 250;

/** Versions that cannot be part of a file name are answered by the router only (see docs/hosting.md). */
export function versionFileName(version: string): string | undefined {
  if (version === '' || version.startsWith('.') || /[/\\\0?#%*:<>|"@]/.test(version)) return undefined;
  return version;
}

/** `io.github.user/weather` → `io.github.user@weather`. */
export function entryKey(name: string): string {
  return name.replace('/', '@');
}

function entryFile(base: string): string | undefined {
  return Buffer.byteLength(base) + '.json'.length > MAX_FILE_NAME ? undefined : `${ENTRIES_DIR}/${base}.json`;
}

export function versionsFile(name: string): string | undefined {
  return entryFile(`${entryKey(name)}@@versions`);
}

export function latestFile(name: string): string | undefined {
  return entryFile(`${entryKey(name)}@@latest`);
}

/** Exists for every server, deleted versions only or not (nginx tells "no server" from "no version" by it). */
export function serverMarkerFile(name: string): string | undefined {
  return entryFile(`${entryKey(name)}@@server`);
}

export function versionFile(name: string, version: string): string | undefined {
  const file = versionFileName(version);
  return file === undefined ? undefined : entryFile(`${entryKey(name)}@${file}`);
}
