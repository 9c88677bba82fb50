/**
 * Filters of the site and of the search: registry type, transport, remote vs local, status, and
 * what the registry's own inspection found (tools, whether a remote answers without auth).
 * The same facet values are stored in the search index so the home page can filter results.
 */
import type { ServerJson, ServerStatus } from '../core/api-types.ts';
import { isRecord } from '../core/is-record.ts';

export type FacetName = 'registry' | 'transport' | 'hosting' | 'status' | 'tools' | 'health';
export const FACET_NAMES: readonly FacetName[] = ['registry', 'transport', 'hosting', 'status', 'tools', 'health'];
export const FACET_LABELS: Record<FacetName, string> = {
  registry: 'Registry type',
  transport: 'Transport',
  hosting: 'Remote or local',
  status: 'Status',
  tools: 'Tools',
  health: 'Remote health',
};

/** Readable words for the facet values the registry itself defines; other values show as they are. */
export const FACET_VALUE_LABELS: Readonly<Record<string, string>> = {
  'has-tools': 'has tools',
  'tools-changed': 'tools changed',
  'answers-without-auth': 'answers without auth',
  'auth-required': 'needs auth',
  'not-answering': 'not answering',
};

export function facetValueLabel(value: string): string {
  return Object.hasOwn(FACET_VALUE_LABELS, value) ? (FACET_VALUE_LABELS[value] as string) : value;
}

const REMOTE_TRANSPORTS = new Set(['streamable-http', 'sse']);

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

/**
 * Pure: the `tools` and `health` facets from a version's `_meta[<metaNamespace>].inspection`
 * (inspect/inspection-meta.ts), read defensively: it is data, not trusted shape.
 * - `tools`: `has-tools` when an endpoint listed at least one tool; `tools-changed` when a
 *   re-inspection of this same version found a different tool set.
 * - `health` (remote endpoints only, streamable HTTP or SSE): `answers-without-auth` when one
 *   answered its last check (inspect never sends credentials, so answering means no auth was
 *   needed); `auth-required` when one refused for want of auth; `not-answering` when every
 *   endpoint is flagged not answering.
 */
export function inspectionFacets(inspection: unknown): Pick<ServerFacets, 'tools' | 'health'> {
  if (!isRecord(inspection) || !Array.isArray(inspection.endpoints)) return { tools: [], health: [] };
  const endpoints = inspection.endpoints.filter(isRecord);
  const listsTools = (e: Record<string, unknown>) => (typeof e.toolCount === 'number' && e.toolCount > 0) || (Array.isArray(e.tools) && e.tools.length > 0);
  const remote = endpoints.filter((e) => typeof e.transport === 'string' && REMOTE_TRANSPORTS.has(e.transport));
  const code = (e: Record<string, unknown>) => (isRecord(e.error) && typeof e.error.code === 'string' ? e.error.code : '');
  return {
    tools: uniqueSorted([endpoints.some(listsTools) ? 'has-tools' : undefined, endpoints.some((e) => isRecord(e.toolsChanged)) ? 'tools-changed' : undefined]),
    health: uniqueSorted([
      remote.some((e) => e.reachable === true) ? 'answers-without-auth' : undefined,
      remote.some((e) => e.reachable !== true && /(^|\/)auth-required$/.test(code(e))) ? 'auth-required' : undefined,
      endpoints.length > 0 && endpoints.every((e) => e.notAnswering === true) ? 'not-answering' : undefined,
    ]),
  };
}

/**
 * Pure: the facet values of one server version (values that are not simple tokens are dropped).
 * `inspection` is the version's `_meta[<metaNamespace>].inspection`, when the build has one.
 */
export function serverFacets(server: ServerJson, status: ServerStatus, inspection?: unknown): ServerFacets {
  const packages = Array.isArray(server.packages) ? server.packages : [];
  const remotes = Array.isArray(server.remotes) ? server.remotes : [];
  return {
    registry: uniqueSorted(packages.map((p) => facetValue(p?.registryType))),
    transport: uniqueSorted([...packages.map((p) => facetValue(p?.transport?.type)), ...remotes.map((r) => facetValue(r?.type))]),
    hosting: uniqueSorted([remotes.length > 0 ? 'remote' : undefined, packages.length > 0 ? 'local' : undefined]),
    status: [status],
    ...inspectionFacets(inspection),
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
