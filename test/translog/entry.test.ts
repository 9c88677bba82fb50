import { describe, expect, it } from 'vitest';
import { encodeEntry, orderEntries, sha256Hex } from '../../scripts/translog/entry.ts';

describe('log entries', () => {
  it('encode as JSON with one fixed key order, whatever order the fields came in', () => {
    const bytes = encodeEntry({ publishedAt: '2026-01-02T03:04:05Z', sha256: 'ab', version: '1.0.0', name: 'io.github.a/b' });
    expect(new TextDecoder().decode(bytes)).toBe('{"name":"io.github.a/b","version":"1.0.0","sha256":"ab","publishedAt":"2026-01-02T03:04:05Z"}');
    const status = encodeEntry({ name: 'x/y', version: '1', sha256: 'cd', publishedAt: 't', status: 'deprecated' });
    expect(new TextDecoder().decode(status)).toBe('{"name":"x/y","version":"1","sha256":"cd","publishedAt":"t","status":"deprecated"}');
  });

  it('hash server.json bytes as lower-case hex SHA-256', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('order by commit position, then name, version and status, so any input order gives one log', () => {
    const e = (name: string, version: string, order: number, status?: string) => ({
      entry: { name, version, sha256: '00', publishedAt: 't', ...(status === undefined ? {} : { status }) },
      order,
    });
    const input = [e('b/b', '1', 2), e('a/a', '2', 1), e('a/a', '1', 1, 'deprecated'), e('a/a', '1', 1), e('c/c', '1', 0)];
    const want = ['c/c@1', 'a/a@1', 'a/a@1:deprecated', 'a/a@2', 'b/b@1'];
    const show = (xs: ReturnType<typeof orderEntries>) => xs.map((x) => `${x.name}@${x.version}${x.status ? `:${x.status}` : ''}`);
    expect(show(orderEntries(input))).toEqual(want);
    expect(show(orderEntries([...input].reverse()))).toEqual(want);
  });
});
