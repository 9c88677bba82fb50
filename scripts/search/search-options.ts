/**
 * The one description of the search index, shared by the build (which writes it), the site's
 * browser script and any client that loads `search/index.json` (see search/manifest.json).
 * Descriptions are indexed but not stored in the index: they ship beside it in
 * `search/descriptions.json`, which results can show once it has arrived.
 */
import type { Options, SearchOptions } from 'minisearch';

/** What each indexed server carries; short keys keep the published index small. */
export interface SearchDocument {
  id: number;
  /** Server name: stored, not indexed (its two parts are indexed as `k` and `s`). */
  n: string;
  /** The name after the namespace (`brave-search-mcp-server`). */
  k: string;
  /** The namespace's words that name the publisher (`io.github.brave` → brave; see search-documents.ts). */
  s: string;
  /** Title, '' when the server has none. */
  t: string;
  /** Description. */
  d: string;
  /** Package identifiers, space separated. */
  p: string;
  /**
   * Names of the tools the registry's inspection recorded for the shown version (at most
   * MAX_SEARCH_TOOLS, space separated); '' when it recorded none. Indexed, not stored.
   */
  o: string;
  /** Facets as `facet:value` words (registry, transport, hosting, status, tools, health), e.g. `registry:npm transport:stdio hosting:local status:active tools:has-tools`. */
  f: string;
  /** 1 when the publisher's proven identity is the server's own (see search-documents.ts); absent otherwise. */
  v?: number;
  /** The shown version and its publish day: `1.2.0 2025-10-01` (stored, shown on result cards). */
  u: string;
}

export type StoredDocument = Pick<SearchDocument, 'n' | 't' | 'f' | 'u'> & { v?: number };

export const SEARCH_FIELDS = ['k', 's', 't', 'd', 'p', 'o'] as const;
export const STORED_FIELDS = ['n', 't', 'f', 'v', 'u'] as const;

/**
 * Field boosts: the server's own name outweighs its title, which outweighs the publisher, packages
 * and tool names, then the description.
 */
export const FIELD_BOOSTS: Record<string, number> = { k: 4, t: 3, s: 2, p: 2, o: 2, d: 1 };

/** Tool names per server in the index: enough to find a server by what it offers, bounded for the index budget. */
export const MAX_SEARCH_TOOLS = 32;

/** Words are split at spaces, punctuation and symbols (`<b>bold</b>` → b, bold, b). */
export const TOKEN_SEPARATOR = /[\n\r\p{Z}\p{P}\p{S}]+/u;

export function tokenize(text: string): string[] {
  return text.split(TOKEN_SEPARATOR).filter((t) => t !== '');
}

/** Every word is kept (no stop words: a word people type must be able to match), lower-cased. */
export function processTerm(term: string): string {
  return term.toLowerCase();
}

export const INDEX_OPTIONS: Options<SearchDocument> = {
  fields: [...SEARCH_FIELDS],
  tokenize,
  processTerm,
  storeFields: [...STORED_FIELDS],
  idField: 'id',
};

export const QUERY_OPTIONS: SearchOptions = {
  boost: FIELD_BOOSTS,
  // Prefixes are expanded by search-query.ts from the vocabulary (bounded), not by MiniSearch.
  prefix: false,
  // Typo tolerance grows with the word: none under 5 characters (short words have too many
  // neighbours: "bold" would find "old"), one edit up to 9, two from 10.
  fuzzy: (term) => (term.length < 5 ? false : term.length < 10 ? 1 : 2),
  combineWith: 'AND',
};

/** Bumped whenever the documents or options change shape, so clients can tell. */
export const SEARCH_FORMAT_VERSION = 7;
