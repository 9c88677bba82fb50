/**
 * The no-JavaScript way through the catalog: `browse/` lists every server and
 * `browse/<facet>/<value>/` every server with that facet value, in pages of a fixed size.
 */
import { FACET_LABELS, FACET_NAMES, facetValueLabel } from '../catalog/server-facets.ts';
import type { FacetName } from '../catalog/server-facets.ts';
import type { ServerPageModel } from './site-model.ts';

export interface ListingPage {
  /** Below `browse/`, '' for the first page of all servers, e.g. `registry/npm/page/2`. */
  path: string;
  heading: string;
  servers: ServerPageModel[];
  page: number;
  pageCount: number;
  total: number;
  /** Paths (like `path`) of every page of this listing, in order. */
  pagePaths: string[];
}

function paginate(base: string, heading: string, servers: readonly ServerPageModel[], size: number): ListingPage[] {
  const pageCount = Math.max(1, Math.ceil(servers.length / size));
  const pagePaths = Array.from({ length: pageCount }, (_, i) => [base, i === 0 ? '' : `page/${i + 1}`].filter(Boolean).join('/'));
  return pagePaths.map((path, i) => ({
    path,
    heading,
    servers: servers.slice(i * size, (i + 1) * size),
    page: i + 1,
    pageCount,
    total: servers.length,
    pagePaths,
  }));
}

/** Pure: every listing page for servers sorted by name. */
export function listingPages(servers: readonly ServerPageModel[], size: number): ListingPage[] {
  const pages = paginate('', 'All servers', servers, size);
  for (const facet of FACET_NAMES) {
    const values = [...new Set(servers.flatMap((s) => s.facets[facet]))].sort();
    for (const value of values) {
      const matching = servers.filter((s) => s.facets[facet as FacetName].includes(value));
      pages.push(...paginate(`${facet}/${value}`, `${FACET_LABELS[facet]}: ${facetValueLabel(value)}`, matching, size));
    }
  }
  return pages;
}
