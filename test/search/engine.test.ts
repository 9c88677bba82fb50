import { describe, expect, it } from 'vitest';
import { expandPrefix } from '../../scripts/search/search-engine.ts';
import { processTerm, tokenize } from '../../scripts/search/search-options.ts';

const engine = {
  vocabulary: ['wea', 'weather', 'weathers', 'web', 'webhook', 'wiki', 'zed'],
  postings: [1, 500, 2, 4000, 3, 9, 1],
};

describe('search engine', () => {
  it('expands a prefix to indexed words, shortest first, never the prefix itself', () => {
    expect(expandPrefix(engine, 'wea', 10, 100_000)).toEqual(['weather', 'weathers']);
  });

  it('stops at the maximum number of expansions', () => {
    expect(expandPrefix(engine, 'w', 2, 100_000)).toEqual(['wea', 'web']);
  });

  it('skips words whose postings would exceed the budget, keeping the first', () => {
    expect(expandPrefix(engine, 'we', 10, 600)).toEqual(['wea', 'weather', 'webhook', 'weathers']);
    expect(expandPrefix(engine, 'we', 10, 0)).toEqual(['wea']);
  });

  it('expands to nothing when no word has the prefix', () => {
    expect(expandPrefix(engine, 'q', 10, 100)).toEqual([]);
  });

  it('keeps every word a user types: no stop words', () => {
    expect(tokenize('io.github.acme/The-Weather').map(processTerm)).toEqual(['io', 'github', 'acme', 'the', 'weather']);
  });
});
