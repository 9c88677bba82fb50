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
import type { ApiData } from '../api/api-data.ts';
import { LIST_FILE } from '../api/api-layout.ts';
import { listBody } from '../api/list-page.ts';
import { MAX_LIMIT } from '../api/list-query.ts';
import { INFO_ENDPOINTS } from '../api/router.ts';
import type { HostOutput } from './host-output.ts';
import { emitUrlLayout, linkUrl } from './url-layout.ts';

const LAYOUT = { html: true, prefixes: ['v0.1', 'v0'] };

export function pagePath(n: number): string {
  return `v0.1/pages/servers/${n}.json`;
}

/** Every file `build --host github-pages` adds; `baseUrl` (no trailing slash) prefixes `nextPage`. */
export function writeGithubPagesFiles(api: ApiData, baseUrl: string, out: HostOutput): void {
  const everything = listBody(api.visible);
  out.write(LIST_FILE, everything);
  linkUrl(out, 'servers', LIST_FILE, LAYOUT);
  const pages = Math.max(1, Math.ceil(api.visible.length / MAX_LIMIT));
  for (let n = 1; n <= pages; n += 1) {
    const items = api.visible.slice((n - 1) * MAX_LIMIT, n * MAX_LIMIT);
    const metadata: Record<string, unknown> = { count: items.length };
    if (n < pages) metadata.nextPage = `${baseUrl}/${pagePath(n + 1)}`;
    out.write(pagePath(n), `{"servers":[${items.map((e) => e.json).join(',')}],"metadata":${JSON.stringify(metadata)}}`);
  }
  emitUrlLayout(api, out, LAYOUT);
  for (const info of INFO_ENDPOINTS) linkUrl(out, info, `v0.1/${info}.json`, LAYOUT);
  out.write('.nojekyll', '');
}
