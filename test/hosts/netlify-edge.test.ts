import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGE_FUNCTION_PATH } from '../../scripts/hosts/netlify-bundle.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { startNetlifyDeno } from '../fixtures/api/deno-process.ts';
import { DENO, hasSystemServer } from '../helpers/system-server.ts';
import { describeHostContract } from './host-contract.ts';

const SUITE = 'the Netlify edge function of build --host netlify, run in Deno';

describe.skipIf(!hasSystemServer(DENO, SUITE))(SUITE, () => {
  describeHostContract('netlify edge function in deno', async () => {
    const { dist } = await buildFixture(fixtureRoot(120), 'netlify');
    return { ...(await startNetlifyDeno(dist)), dist };
  });
});

describe('the Netlify edge function file', () => {
  it('is one self-contained module that declares the paths Netlify runs it for', async () => {
    const { dist } = await buildFixture(fixtureRoot(), 'netlify');
    const code = readFileSync(join(dist, EDGE_FUNCTION_PATH), 'utf8');
    expect(code).not.toMatch(/^import /m);
    expect(code).toMatch(/var config = \{ path: "\/\*" \};/);
    expect(code).toMatch(/export \{[^}]*registry as default/);
  });
});
