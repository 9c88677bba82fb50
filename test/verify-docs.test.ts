import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERIFY_CODES } from '../scripts/verify/codes.ts';

const docs = readFileSync(new URL('../docs/verification.md', import.meta.url), 'utf8');

describe('docs/verification.md', () => {
  it('has an entry with a bad and a good example for every verify code', () => {
    const missing = VERIFY_CODES.filter((code) => {
      const start = docs.indexOf(`\n### verify/${code}\n`);
      if (start === -1) return true;
      const end = docs.indexOf('\n### ', start + 5);
      const entry = docs.slice(start, end === -1 ? undefined : end);
      return !entry.includes('Bad:') || !entry.includes('Good:');
    });
    expect(missing).toEqual([]);
  });
});
