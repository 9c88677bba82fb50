/** Pure: the catalog's servers as search documents (the shown version of each live server). */
import { FACET_NAMES } from '../catalog/server-facets.ts';
import { namespaceOf } from '../catalog/server-summary.ts';
import type { ServerSummary } from '../catalog/server-summary.ts';
import { isRecord } from '../core/is-record.ts';
import { MAX_SEARCH_TOOLS } from './search-options.ts';
import type { SearchDocument } from './search-options.ts';

/**
 * Whether ranking may prefer this server as the publisher's own: a domain namespace (the
 * publisher proved a domain), or a GitHub namespace whose repository is under the same login.
 */
export function publisherOwned(server: ServerSummary): boolean {
  return server.publisher.kind === 'domain' || server.publisher.repositoryOwned;
}

const GITHUB_NAMESPACE = 'io.github.';

/** `GoogleCloudPlatform` → Google, Cloud, Platform; `brave-software` → brave, software. */
function wordParts(label: string): string[] {
  return label.split(/[-_]+|(?<=[a-z0-9])(?=[A-Z])/u).filter((p) => p !== '');
}

/**
 * The namespace's words that name the publisher: the GitHub login, or the domain's labels
 * without the top-level one (`com.figma.mcp` → figma mcp), each also split at dashes and case.
 * `io`, `com` and `github` are in most names and say nothing about who: a query that spells a
 * namespace out is matched against the names themselves (search-query.ts).
 */
export function namespaceWords(namespace: string): string {
  const labels = namespace.toLowerCase().startsWith(GITHUB_NAMESPACE) ? [namespace.slice(GITHUB_NAMESPACE.length)] : namespace.split('.').slice(1);
  const words = labels.flatMap((label) => [label, ...wordParts(label)]);
  return [...new Set(words)].join(' ');
}

/**
 * The tool names the inspection recorded for the shown version, from its own `_meta` block
 * (`inspection.endpoints[].tools[].name`, as inspect/inspection-meta.ts writes it): deduplicated
 * across endpoints, in their order, at most MAX_SEARCH_TOOLS, each at most 100 characters.
 */
export function toolNames(server: ServerSummary, metaNamespace: string | undefined): string {
  if (metaNamespace === undefined || metaNamespace === '') return '';
  const own = server.shown.response._meta?.[metaNamespace];
  const inspection = isRecord(own) ? own.inspection : undefined;
  const endpoints = isRecord(inspection) && Array.isArray(inspection.endpoints) ? inspection.endpoints : [];
  const found = new Set<string>();
  for (const endpoint of endpoints) {
    const tools = isRecord(endpoint) && Array.isArray(endpoint.tools) ? endpoint.tools : [];
    for (const tool of tools) {
      if (found.size >= MAX_SEARCH_TOOLS) break;
      if (isRecord(tool) && typeof tool.name === 'string' && tool.name.trim() !== '') found.add(tool.name.slice(0, 100));
    }
  }
  return [...found].join(' ');
}

/**
 * Pure: the indexed fields made from the server name alone: `k`, the name after the namespace,
 * and `s`, the namespace's publisher words. The index does not ship their postings: clients
 * compute them from the stored name with this function (search-codec.ts deriveFields).
 */
export function nameFields(name: string): { k: string; s: string } {
  const namespace = namespaceOf(name);
  let s = namespaceWordsMemo.get(namespace);
  if (s === undefined) {
    s = namespaceWords(namespace);
    if (namespaceWordsMemo.size > 200_000) namespaceWordsMemo.clear();
    namespaceWordsMemo.set(namespace, s);
  }
  return { k: name.slice(namespace.length + 1), s };
}

/** namespaceWords by namespace: a client derives them for every server, and publishers have many. */
const namespaceWordsMemo = new Map<string, string>();

/** nameFields of a stored document (its `n`), as search-codec.ts derives fields. */
export function storedNameFields(stored: Readonly<Record<string, unknown>>): Record<string, string> {
  return nameFields(typeof stored.n === 'string' ? stored.n : '');
}

export function searchDocument(id: number, server: ServerSummary, metaNamespace?: string): SearchDocument {
  return {
    id,
    n: server.name,
    ...nameFields(server.name),
    t: server.title === server.name ? '' : server.title,
    d: server.description.slice(0, 200),
    p: [...new Set(server.packages.map((p) => p.identifier).filter((i) => i !== ''))].join(' '),
    o: toolNames(server, metaNamespace),
    f: FACET_NAMES.flatMap((facet) => server.facets[facet].map((value) => `${facet}:${value}`)).join(' '),
    ...(publisherOwned(server) ? { v: 1 } : {}),
    u: `${server.shown.version} ${server.official.publishedAt.slice(0, 10)}`.trim(),
  };
}

/** Documents in the summaries' order (by name); ids in that order. `metaNamespace` is where the registry's inspection sits. */
export function searchDocuments(summaries: readonly ServerSummary[], metaNamespace?: string): SearchDocument[] {
  return summaries.map((server, i) => searchDocument(i, server, metaNamespace));
}
