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
import { listBody } from '../serve/list-page.ts';
import { MAX_LIMIT } from '../serve/list-query.ts';

export function pagePath(n: number): string {
  return `v0.1/pages/servers/${n}.json`;
}

/** `body` at `jsonPath` (written unless already there), its `.html` twin and the `/v0` copies, linked. */
function twin(out: OutputTree, jsonPath: string, body?: string): void {
  if (body !== undefined) out.write(jsonPath, body);
  const base = jsonPath.slice('v0.1/'.length, -'.json'.length);
  out.alias(`v0.1/${base}.html`, jsonPath);
  out.alias(`v0/${base}.json`, jsonPath);
  out.alias(`v0/${base}.html`, jsonPath);
}

export const githubPagesEmitter: Emitter = {
  name: 'github-pages',
  hosts: ['github-pages'],
  emit(context, out) {
    const api = context.api;
    const everything = listBody(api.visible);
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
      if (visible.length > 0) twin(out, versionsFile(name));
      for (const entry of server.versions) {
        const file = versionFile(name, entry.version);
        if (file !== undefined) twin(out, file);
      }
      if (server.latest) twin(out, latestFile(name));
    }
    twin(out, HEALTH_FILE);
    out.write('.nojekyll', '');
  },
};
