/**
 * What a rename adds to the site, after the site emitter: for each old name, a page at the old server page's
 * path that sends browsers to the new one. The old name's API answers are already in the API data
 * (api-data.ts), so the API emitter and the host adapters write them like any server's, and the API emitter
 * writes `v0.1/renames.json`, which `serve` reads back beside the snapshot.
 */
import type { ApiAlias } from '../api/api-data.ts';
import { serverSlug } from '../site/server-slug.ts';
import type { Emitter } from './emitter.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page at `servers/<old>/`: a relative refresh (so a base path is kept), a canonical link and a plain link. */
export function redirectPage(alias: ApiAlias, baseUrl: string): string {
  const from = serverSlug(alias.from);
  const to = `${'../'.repeat(from.split('/').length + 1)}servers/${serverSlug(alias.to)}/`;
  const canonical = `${baseUrl}/servers/${serverSlug(alias.to)}/`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(alias.from)} is now ${escapeHtml(alias.to)}</title>`,
    `<meta http-equiv="refresh" content="0; url=${escapeHtml(to)}">`,
    `<link rel="canonical" href="${escapeHtml(canonical)}">`,
    '<meta name="robots" content="noindex">',
    '</head><body>',
    `<p>${escapeHtml(alias.from)} was renamed to <a href="${escapeHtml(to)}">${escapeHtml(alias.to)}</a> on ${escapeHtml(alias.renamedAt)}.</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

export const renameEmitter: Emitter = {
  name: 'renames',
  // It reads and replaces the site's pages, so the site's background run must be done.
  joins: true,
  emit(context, out) {
    const aliases = context.api.aliases ?? [];
    // Only where the site was built, and never over a page of a server that still publishes under that path.
    if (!out.has('index.html')) return;
    for (const alias of aliases) {
      const page = `servers/${serverSlug(alias.from)}/index.html`;
      if (!out.has(page)) out.write(page, redirectPage(alias, context.baseUrl));
    }
  },
};
