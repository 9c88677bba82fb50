/**
 * The prebuilt search index published under `search/`, over the shown version of each live
 * server: `index.json` (a serialized MiniSearch index storing names, facets and the owned flag:
 * what the first keystroke waits for; the name fields' postings are computed from the names),
 * `text.json` (the postings and lengths of titles, descriptions, packages and tool names,
 * fetched after it), `rows.json` (titles, versions and days, which only result rows show) and
 * `descriptions.json` (descriptions by document id), both fetched beside the index and not
 * waited for, and `manifest.json`, which tells other clients how to use them.
 */
import MiniSearch from 'minisearch';
import type { ServerSummary } from '../catalog/server-summary.ts';
import { compactFromDocuments, compactIndex, deriveFields, splitIndex, splitRows, withoutDerived } from './search-codec.ts';
import { loadSearchEngine } from './search-engine.ts';
import type { SearchEngine } from './search-engine.ts';
import { nameFields, searchDocuments, storedNameFields } from './search-documents.ts';
import { FIELD_BOOSTS, INDEX_OPTIONS, MAX_SEARCH_TOOLS, SEARCH_FIELDS, SEARCH_FORMAT_VERSION, STORED_FIELDS, TOKEN_SEPARATOR } from './search-options.ts';
import type { SearchDocument } from './search-options.ts';
import { EXPANSION_BUDGET, MAX_EXPANSIONS } from './search-engine.ts';
import { MIN_PREFIX, PREFIX_WEIGHT } from './search-query.ts';

/** Output files: path relative to the output folder → content. */
export type OutputFiles = Map<string, string>;

export const SEARCH_INDEX_PATH = 'search/index.json';
export const SEARCH_DESCRIPTIONS_PATH = 'search/descriptions.json';
export const SEARCH_MANIFEST_PATH = 'search/manifest.json';
/** The postings of the fields in DEFERRED_FIELDS, loaded after `index.json` (splitIndex). */
export const SEARCH_DEFERRED_PATH = 'search/text.json';
/** Title, description, packages and tool names: most of the postings; a title mostly repeats the name, which index.json matches. */
export const DEFERRED_FIELDS = ['t', 'd', 'p', 'o'] as const;
/** Stored columns only result rows show (title, version and day), in their own file beside the index. */
export const SEARCH_ROWS_PATH = 'search/rows.json';
export const ROW_FIELDS = ['t', 'u'] as const;
/** The name's own part and the namespace words: computed by clients from the stored name (nameFields), not shipped. */
export const DERIVED_FIELDS = ['k', 's'] as const;

export function createIndex(documents: readonly SearchDocument[]): MiniSearch<SearchDocument> {
  const index = new MiniSearch<SearchDocument>(INDEX_OPTIONS);
  index.addAll(documents);
  return index;
}

/** Whether a document's derived fields are what clients compute from its stored name. */
function namedAsStored(document: SearchDocument): boolean {
  const fields = nameFields(document.n);
  return document.k === fields.k && document.s === fields.s;
}

/**
 * Pure: the index files for these documents (deterministic: same documents, same bytes). The
 * same bytes as MiniSearch's own index run through the codec (test/search/index.test.ts compares
 * both), computed without building MiniSearch's tree.
 */
export function searchIndexFiles(documents: readonly SearchDocument[]): OutputFiles {
  const direct = compactFromDocuments(documents as unknown as Readonly<Record<string, unknown>>[], SEARCH_FIELDS, STORED_FIELDS, ['n']);
  // The build's documents carry the name fields computed from n: they are derived exactly, with no check.
  const exact = direct !== undefined && documents.every(namedAsStored);
  const derived =
    direct !== undefined && exact
      ? withoutDerived(direct, DERIVED_FIELDS)
      : deriveFields(direct ?? compactIndex(createIndex(documents).toJSON(), STORED_FIELDS, ['n']), DERIVED_FIELDS, storedNameFields);
  const split = splitIndex(derived, DEFERRED_FIELDS);
  const { index, rows } = splitRows(split.index, ROW_FIELDS);
  const manifest = {
    formatVersion: SEARCH_FORMAT_VERSION,
    engine: 'minisearch@7',
    index: 'index.json',
    encoding:
      "compact 3 (scripts/search/search-codec.ts): MiniSearch toJSON() with documentIds left out when each short id is its document id, fieldLength and storedFields as one array per field in short-id order (null: not stored; the columns in frontCoded as [characters shared with the value before, the rest] where they share any), the index split into words (code-unit order, front-coded the same way) and postings beside them: per word, groups of fields with equal posting lists as [bit mask of field ids, short-id gaps, term frequencies (absent: all 1)]; the fields in derived have no postings and an empty fieldLength column: compute them from each document's stored name n (k: the name after the first slash; s: see fieldMeaning) with the tokenizer below, a field length being its number of distinct tokens; expand it back, then MiniSearch.loadJS",
    derived: { fields: DERIVED_FIELDS, from: 'n' },
    deferred: {
      file: 'text.json',
      fields: DEFERRED_FIELDS,
      meaning:
        "the postings of these fields as {compact, fields, fieldLength, words, postings}: fieldLength per field of fields (index.json has [] for them); every word these fields hold (code-unit order, front-coded) and its postings in them; merge them with index.json's words and the derived fields' (same word: its groups from each). expandIndex(index, deferred, storedNameFields, rows) gives the whole index; index.json alone matches the other fields only",
    },
    rows: {
      file: 'rows.json',
      fields: ROW_FIELDS,
      meaning:
        "{compact, rows}: rows maps each stored field named in index.json's rows to its column (short-id order, null: not stored); merged back into the stored fields, it completes them",
    },
    descriptions: 'descriptions.json',
    documents: documents.length,
    load: {
      fields: SEARCH_FIELDS,
      storeFields: STORED_FIELDS,
      idField: 'id',
      tokenize: `split on ${TOKEN_SEPARATOR.source} (flags ${TOKEN_SEPARATOR.flags}), dropping empty words`,
      processTerm: 'lower-case; no stop words',
    },
    fieldMeaning: {
      n: 'server name (stored, not indexed)',
      k: 'the name after the namespace (indexed, not stored)',
      s: 'the namespace words that name the publisher: the GitHub login or the domain labels without the top-level one, also split at dashes and case (indexed, not stored)',
      t: 'title',
      d: 'description (indexed, not stored: descriptions.json[id])',
      p: 'package identifiers',
      o: `names of the tools the registry's inspection recorded for the shown version, at most ${MAX_SEARCH_TOOLS} (indexed, not stored)`,
      f: 'facet:value words (registry, transport, hosting, status, tools, health)',
      u: 'the shown version and the day it was published (stored, not indexed)',
      v: '1 when the publisher proved a domain, or a GitHub namespace whose repository is under the same login',
    },
    query: {
      boost: FIELD_BOOSTS,
      prefix: `the last word, from ${MIN_PREFIX} characters, expanded to at most ${MAX_EXPANSIONS} indexed words, shortest first, within ${EXPANSION_BUDGET} postings, weighted ${PREFIX_WEIGHT}; a last word with expansions is not matched fuzzily`,
      fuzzy: 'none under 5 characters, 1 edit up to 9, 2 from 10',
      combineWith: 'AND; when no server has every word, OR',
      names: 'text with a dot or slash and no space is also matched as the start of server names (io.github.user, com.example/db)',
      compounds:
        'two neighbouring words also match as one (file system → filesystem); a word of 6+ letters also matches as two indexed words of 3+ letters (filesystem → file system)',
      rank: "exact name, exact namespace, the publisher named by a query word, the name's own part equal to the query, every word in the name, publisher-owned (v), then the text score",
    },
  };
  return new Map([
    [SEARCH_INDEX_PATH, JSON.stringify(index)],
    [SEARCH_DEFERRED_PATH, JSON.stringify(split.deferred)],
    [SEARCH_ROWS_PATH, JSON.stringify(rows)],
    [SEARCH_DESCRIPTIONS_PATH, JSON.stringify(documents.map((d) => d.d))],
    [SEARCH_MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`],
  ]);
}

/** Pure: the search index files for the catalog's server summaries (tool names from `_meta[metaNamespace].inspection`). */
export function buildSearchIndex(summaries: readonly ServerSummary[], options: { metaNamespace?: string } = {}): OutputFiles {
  return searchIndexFiles(searchDocuments(summaries, options.metaNamespace));
}

/** The whole engine from the files searchIndexFiles wrote (`index.json`, `text.json` and `rows.json`). */
export function loadSearchFiles(files: OutputFiles): SearchEngine {
  return loadSearchEngine(files.get(SEARCH_INDEX_PATH) ?? '', files.get(SEARCH_DEFERRED_PATH), files.get(SEARCH_ROWS_PATH));
}
