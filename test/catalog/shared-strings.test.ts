import { describe, expect, it } from 'vitest';
import { shareStrings } from '../../scripts/catalog/shared-strings.ts';

describe('shareStrings', () => {
  it('keeps every document equal, key for key and in order, and counts the repeated values', () => {
    const text = (version: string) =>
      JSON.stringify({
        $schema: 'https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json',
        name: 'io.github.a/b',
        version,
        packages: [{ registryType: 'npm', identifier: '@a/b', transport: { type: 'stdio' } }],
        remotes: [{ type: 'streamable-http', url: 'https://a.example/mcp', headers: [] }],
        tags: ['x', 'x', 1, null, true],
      });
    const documents = ['1.0.0', '1.1.0'].map((v) => JSON.parse(text(v)) as unknown);
    const repeats = shareStrings(documents);
    expect(documents.map((d) => JSON.stringify(d))).toEqual([text('1.0.0'), text('1.1.0')]);
    // First document: its second 'x'; second document: every one of its 10 strings but the version.
    expect(repeats).toBe(10);
  });

  it('walks nothing it cannot walk', () => {
    expect(shareStrings([null, 'text', 3, []])).toBe(0);
  });
});
