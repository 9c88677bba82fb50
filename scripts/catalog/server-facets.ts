/**
 * Filters of the site and of the search: registry type, transport, remote vs local, status.
 * The same facet values are stored in the search index so the home page can filter results.
 */
import type { ServerJson, ServerStatus } from '../core/api-types.ts';

export type FacetName = 'registry' | 'transport' | 'hosting' | 'status';
export const FACET_NAMES: readonly FacetName[] = ['registry', 'transport', 'hosting', 'status'];
export const FACET_LABELS: Record<FacetName, string> = {
  registry: 'Registry type',
  transport: 'Transport',
  hosting: 'Remote or local',
  status: 'Status',
};

export type ServerFacets = Record<FacetName, string[]>;

export interface FacetCount {
  facet: FacetName;
  value: string;
  count: number;
}

const FACET_VALUE = /^[a-z0-9][a-z0-9._-]{0,39}$/;

function facetValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return FACET_VALUE.test(lower) ? lower : undefined;
}

function uniqueSorted(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))].sort();
}

/** Pure: the facet values of one server version (values that are not simple tokens are dropped). */
export function serverFacets(server: ServerJson, status: ServerStatus): ServerFacets {
  const packages = Array.isArray(server.packages) ? server.packages : [];
  const remotes = Array.isArray(server.remotes) ? server.remotes : [];
  return {
    registry: uniqueSorted(packages.map((p) => facetValue(p?.registryType))),
    transport: uniqueSorted([...packages.map((p) => facetValue(p?.transport?.type)), ...remotes.map((r) => facetValue(r?.type))]),
    hosting: uniqueSorted([remotes.length > 0 ? 'remote' : undefined, packages.length > 0 ? 'local' : undefined]),
    status: [status],
  };
}

/** Pure: how many servers carry each facet value, by facet then value. */
export function countFacets(all: readonly ServerFacets[]): FacetCount[] {
  const counts = new Map<string, FacetCount>();
  for (const facets of all) {
    for (const facet of FACET_NAMES) {
      for (const value of facets[facet]) {
        const key = `${facet}\u0000${value}`;
        const entry = counts.get(key) ?? { facet, value, count: 0 };
        entry.count += 1;
        counts.set(key, entry);
      }
    }
  }
  return [...counts.values()].sort(
    (a, b) => FACET_NAMES.indexOf(a.facet) - FACET_NAMES.indexOf(b.facet) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
}

/** Pure: whether a server matches every selected facet (values within one facet are alternatives). */
export function matchesFacets(facets: ServerFacets, selected: Partial<Record<FacetName, readonly string[]>>): boolean {
  return FACET_NAMES.every((facet) => {
    const wanted = selected[facet];
    return wanted === undefined || wanted.length === 0 || wanted.some((v) => facets[facet].includes(v));
  });
}
