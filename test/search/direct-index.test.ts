import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { compactFromDocuments, compactIndex, deriveFields, splitIndex, splitRows, withoutDerived } from '../../scripts/search/search-codec.ts';
import { nameFields, searchDocuments, storedNameFields } from '../../scripts/search/search-documents.ts';
import { createIndex, DEFERRED_FIELDS, DERIVED_FIELDS, ROW_FIELDS, searchIndexFiles } from '../../scripts/search/search-index.ts';
import { SEARCH_FIELDS, STORED_FIELDS } from '../../scripts/search/search-options.ts';
import type { SearchDocument } from '../../scripts/search/search-options.ts';

const responses = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];

/** The index files as MiniSearch's own index gives them, through the codec. */
function viaMiniSearch(documents: SearchDocument[]): string[] {
  const compact = compactIndex(createIndex(documents).toJSON(), STORED_FIELDS, ['n']);
  const split = splitIndex(deriveFields(compact, DERIVED_FIELDS, storedNameFields), DEFERRED_FIELDS);
  const { index, rows } = splitRows(split.index, ROW_FIELDS);
  return [JSON.stringify(index), JSON.stringify(split.deferred), JSON.stringify(rows)];
}

function direct(documents: SearchDocument[]): string[] {
  const files = searchIndexFiles(documents);
  return ['search/index.json', 'search/text.json', 'search/rows.json'].map((path) => files.get(path) as string);
}

/** Deterministic documents with repeated words, case, punctuation, empty fields, many versions of a namespace. */
function generated(count: number): SearchDocument[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const vocabulary = ['Alpha', 'alpha', 'beta', 'Gamma-ray', 'δέλτα', 'file', 'files', 'FS', 'x', 'über', 'data.base', 'a/b', '', '日本語'];
  const words = (n: number) => Array.from({ length: n }, () => vocabulary[next() % vocabulary.length]).join(next() % 3 === 0 ? ', ' : ' ');
  const names = Array.from({ length: count }, (_, i) => `${i % 3 === 0 ? 'io.github.Some-User' : `com.example${i % 5}`}/${words(1) || 'srv'}-${i}`).sort();
  return names.map((n, id) => ({
    id,
    n,
    ...nameFields(n),
    t: next() % 4 === 0 ? '' : words(3),
    d: words(next() % 12),
    p: words(next() % 3),
    o: words(next() % 5),
    f: 'registry:npm status:active',
    ...(next() % 2 === 0 ? { v: 1 } : {}),
    u: `1.${id}.0 2025-01-0${(id % 9) + 1}`,
  }));
}

describe('search index without MiniSearch', () => {
  it('writes the bytes MiniSearch and the codec write, for the fixture and for generated documents', () => {
    const fixture = searchDocuments(summarizeServers(serverViewsFromResponses(responses)), 'io.example/registry');
    expect(direct(fixture)).toEqual(viaMiniSearch(fixture));
    for (const count of [0, 1, 2, 50, 400]) {
      const documents = generated(count);
      expect(direct(documents), `${count} documents`).toEqual(viaMiniSearch(documents));
    }
  });

  it('gives compactIndex of MiniSearch toJSON, and only for documents whose id is their position', () => {
    const documents = generated(120);
    const fields = [...SEARCH_FIELDS];
    expect(JSON.stringify(compactFromDocuments(documents as never, fields, STORED_FIELDS, ['n']))).toBe(
      JSON.stringify(compactIndex(createIndex(documents).toJSON(), STORED_FIELDS, ['n'])),
    );
    const shifted = documents.map((d) => ({ ...d, id: d.id + 1 }));
    expect(compactFromDocuments(shifted as never, fields, STORED_FIELDS)).toBeUndefined();
    // Shifted ids and name fields that are not the stored name's still index through MiniSearch.
    expect(direct(shifted)).toEqual(viaMiniSearch(shifted));
    const renamed = documents.map((d, i) => (i === 3 ? { ...d, k: 'other words' } : d));
    expect(direct(renamed)).toEqual(viaMiniSearch(renamed));
  });

  it('drops derived fields as deriveFields does when they are reproduced', () => {
    const documents = generated(60);
    const compact = compactIndex(createIndex(documents).toJSON(), STORED_FIELDS, ['n']);
    expect(JSON.stringify(withoutDerived(compact, DERIVED_FIELDS))).toBe(JSON.stringify(deriveFields(compact, DERIVED_FIELDS, storedNameFields)));
  });
});
