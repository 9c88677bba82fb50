/**
 * A copy of the per-server answers laid out like their URLs, for hosts that can only serve the
 * path asked for (GitHub Pages) or rewrite whole path segments (Netlify):
 *   v0.1/servers/<namespace>/<name>/versions.json, …/versions/<version>.json, …/versions/latest.json
 * Every file is a hard link to its twin in v0.1/entries/, so the copy costs folders, not bytes.
 * `html` adds `.html` twins (GitHub Pages serves `/x` from `x.html`); `prefixes` adds `/v0`.
 */
import type { ApiData } from '../api/api-data.ts';
import { latestFile, versionFile, versionFileName, versionsFile } from '../api/api-layout.ts';
import type { HostOutput } from './host-output.ts';

export interface UrlLayoutOptions {
  html: boolean;
  prefixes: readonly string[];
}

/** Links `existing` to `<prefix>/<urlPath>.json` (and `.html`) for each prefix. */
export function linkUrl(out: HostOutput, urlPath: string, existing: string, options: UrlLayoutOptions): void {
  for (const prefix of options.prefixes) {
    const json = `${prefix}/${urlPath}.json`;
    if (json !== existing) out.alias(json, existing);
    if (options.html) out.alias(`${prefix}/${urlPath}.html`, existing);
  }
}

export function emitUrlLayout(api: ApiData, out: HostOutput, options: UrlLayoutOptions): void {
  for (const [name, server] of api.byName) {
    const list = versionsFile(name);
    if (list !== undefined && out.has(list)) linkUrl(out, `servers/${name}/versions`, list, options);
    for (const entry of server.versions) {
      const file = versionFile(name, entry.version);
      if (file !== undefined && out.has(file)) linkUrl(out, `servers/${name}/versions/${versionFileName(entry.version) as string}`, file, options);
    }
    const latest = latestFile(name);
    if (latest !== undefined && out.has(latest)) linkUrl(out, `servers/${name}/versions/latest`, latest, options);
  }
}
