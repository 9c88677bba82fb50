/**
 * `build --host github-pages`: for hosts that ignore query strings and only serve files.
 * A cursor the host cannot honour is never advertised: `/v0.1/servers` answers every visible
 * entry in one response (no nextCursor), so a cursor-following client still sees each entry
 * once. Smaller page files link to each other for clients that want them:
 *   v0.1/pages/servers/<n>.json  {"servers": [...], "metadata": {"count", "nextPage"?}}
 * GitHub Pages serves `/x` from `x.html`, so every API path gets an `.html` twin holding the
 * same JSON, and `/v0/...` gets a copy of `/v0.1/...` (no rewrites on such hosts). `.nojekyll`
 * keeps folders starting with `_` and `.`.
 */
import type { Emitter } from '../emit/emitter.ts';
import type { OutputTree } from '../emit/output-tree.ts';
import { HEALTH_FILE, latestFile, LIST_FILE, versionFile, versionsFile } from '../emit/api-layout.ts';
import { healthBody } from '../emit/api-emitter.ts';
import { listBody } from '../serve/list-page.ts';
import { MAX_LIMIT } from '../serve/list-query.ts';

export function pagePath(n: number): string {
  return `v0.1/pages/servers/${n}.json`;
}

function twin(out: OutputTree, jsonPath: string, body: string): void {
  const base = jsonPath.slice(0, -'.json'.length);
  for (const prefix of ['v0.1/', 'v0/']) {
    const path = prefix + base.slice('v0.1/'.length);
    if (prefix === 'v0/') out.write(`${path}.json`, body);
    out.write(`${path}.html`, body);
  }
}

export const githubPagesEmitter: Emitter = {
  name: 'github-pages',
  hosts: ['github-pages'],
  emit(context, out) {
    const api = context.api;
    const everything = listBody(api.visible);
    out.write(LIST_FILE, everything);
    twin(out, LIST_FILE, everything);
    const pages = Math.max(1, Math.ceil(api.visible.length / MAX_LIMIT));
    for (let n = 1; n <= pages; n += 1) {
      const items = api.visible.slice((n - 1) * MAX_LIMIT, n * MAX_LIMIT);
      const metadata: Record<string, unknown> = { count: items.length };
      if (n < pages) metadata.nextPage = `${context.baseUrl}/${pagePath(n + 1)}`;
      out.write(pagePath(n), `{"servers":[${items.map((e) => e.json).join(',')}],"metadata":${JSON.stringify(metadata)}}`);
    }
    for (const [name, server] of api.byName) {
      const visible = server.versions.filter((e) => e.status !== 'deleted');
      if (visible.length > 0) twin(out, versionsFile(name), listBody(visible));
      for (const entry of server.versions) {
        const file = versionFile(name, entry.version);
        if (file !== undefined) twin(out, file, entry.json);
      }
      if (server.latest) twin(out, latestFile(name), server.latest.json);
    }
    twin(out, HEALTH_FILE, healthBody(context));
    out.write('.nojekyll', '');
  },
};
