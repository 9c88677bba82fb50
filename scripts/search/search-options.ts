/**
 * The one description of the search index, shared by the build (which writes it), the site's
 * browser script and any client that loads `search/index.json` (see search/manifest.json).
 */
import type { Options, SearchOptions } from 'minisearch';

/** What each indexed server carries; short keys keep the published index small. */
export interface SearchDocument {
  id: number;
  /** Server name. */
  n: string;
  /** Title, '' when the server has none. */
  t: string;
  /** Description. */
  d: string;
  /** Package identifiers, space separated. */
  p: string;
  /** Namespace (the part of the name before '/'). */
  s: string;
  /** Facets as `facet:value` words, e.g. `registry:npm transport:stdio hosting:local status:active`. */
  f: string;
}

export type StoredDocument = Pick<SearchDocument, 'n' | 't' | 'd' | 'f'>;

export const SEARCH_FIELDS = ['n', 't', 'd', 'p', 's'] as const;
export const STORED_FIELDS = ['n', 't', 'd', 'f'] as const;

/** Field boosts: a name hit outweighs a title hit, which outweighs the rest. */
export const FIELD_BOOSTS: Record<string, number> = { n: 4, t: 3, p: 2, s: 1.5, d: 1 };

/** Words are split at spaces, punctuation and symbols (`<b>bold</b>` → b, bold, b). */
export const TOKEN_SEPARATOR = /[\n\r\p{Z}\p{P}\p{S}]+/u;

export function tokenize(text: string): string[] {
  return text.split(TOKEN_SEPARATOR).filter((t) => t !== '');
}

export const INDEX_OPTIONS: Options<SearchDocument> = {
  fields: [...SEARCH_FIELDS],
  tokenize,
  storeFields: [...STORED_FIELDS],
  idField: 'id',
};

export const QUERY_OPTIONS: SearchOptions = {
  boost: FIELD_BOOSTS,
  prefix: true,
  // Typo tolerance grows with the word: none under 5 characters (short words have too many
  // neighbours: "bold" would find "old"), one edit up to 9, two from 10.
  fuzzy: (term) => (term.length < 5 ? false : term.length < 10 ? 1 : 2),
  combineWith: 'AND',
};

/** Bumped whenever the documents or options change shape, so clients can tell. */
export const SEARCH_FORMAT_VERSION = 1;
