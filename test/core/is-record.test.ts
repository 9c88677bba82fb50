import { describe, expect, it } from 'vitest';
import { isRecord } from '../../scripts/core/is-record.ts';

describe('isRecord', () => {
  it('accepts a parsed JSON object', () => {
    expect(isRecord(JSON.parse('{"a": 1}'))).toBe(true);
  });

  it.each([null, [], 'x', 1, undefined])('refuses %j', (value) => {
    expect(isRecord(value)).toBe(false);
  });
});
