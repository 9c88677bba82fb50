/**
 * Where each API answer lives as a file. One rule for every host: the file for URL path
 * `/p` is `p.json` (nginx `try_files $uri.json`, Netlify/Cloudflare rewrites, `serve`).
 * Server names have exactly one `/`, so `/v0.1/servers/io.github.user%2Fweather/versions`
 * decodes to the folder `v0.1/servers/io.github.user/weather/`.
 */

export const LIST_FILE = 'v0.1/servers.json';
export const HEALTH_FILE = 'v0.1/health.json';
export const SNAPSHOT_FILE = 'v0.1/snapshot.json.gz';
export const CHANGES_FILE = 'v0.1/changes.json';
export const OPENAPI_FILE = 'openapi.yaml';

/** Versions that cannot be one file name are answered by the router only (see docs/hosting.md). */
export function versionFileName(version: string): string | undefined {
  if (version === '' || version.startsWith('.') || /[/\\\0?#%*:<>|"]/.test(version)) return undefined;
  if (Buffer.byteLength(version) > 200) return undefined;
  return version;
}

export function versionsFile(name: string, prefix = 'v0.1'): string {
  return `${prefix}/servers/${name}/versions.json`;
}

export function versionFile(name: string, version: string, prefix = 'v0.1'): string | undefined {
  const file = versionFileName(version);
  return file === undefined ? undefined : `${prefix}/servers/${name}/versions/${file}.json`;
}

export function latestFile(name: string, prefix = 'v0.1'): string {
  return `${prefix}/servers/${name}/versions/latest.json`;
}
