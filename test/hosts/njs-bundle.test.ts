import { describe, expect, it } from 'vitest';
import { bundleNjsRouter } from '../../scripts/hosts/njs-bundle.ts';

describe('the router bundled for njs', () => {
  it('compiles no regular expression at its top level (njs 0.7 runs the top level for every request)', async () => {
    const bundle = await bundleNjsRouter();
    // A statement at column 0 is top-level code; `new RegExp` there is a PCRE compile per request.
    const topLevel = bundle.split('\n').filter((line) => /^\S/.test(line) && /\bnew RegExp\(/.test(line));
    expect(topLevel).toEqual([]);
    expect(bundle).toMatch(/^export default \w+;$/m);
  });
});
