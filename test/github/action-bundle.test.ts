import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_BUNDLE, ROOT, bundleAction } from '../../scripts/github/bundle-action.ts';

describe('the publish Action', () => {
  it('has a committed bundle identical to a fresh build (run `npm run bundle:action` after changing its sources)', async () => {
    const committed = readFileSync(`${ROOT}${ACTION_BUNDLE}`, 'utf8');
    expect((await bundleAction()) === committed).toBe(true);
  });

  it('action.yml runs that bundle on node24 and describes every input', () => {
    const action = parse(readFileSync(`${ROOT}action.yml`, 'utf8'));
    expect(action.runs).toEqual({ using: 'node24', main: ACTION_BUNDLE });
    for (const [name, input] of Object.entries(action.inputs as Record<string, { description?: string }>)) {
      expect(input.description, name).toBeTruthy();
    }
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['registry', 'token', 'server-json', 'version', 'verify', 'endpoints']));
  });

  it('runs the same publish path as the CLI package: both front ends call publishFromInputs, neither publishServer', () => {
    for (const file of ['scripts/github/publish-action.ts', 'scripts/cli/commands/publish.ts']) {
      const source = readFileSync(`${ROOT}${file}`, 'utf8');
      expect(source, file).toMatch(/import \{ publishFromInputs \} from '[./]+author\/publish-inputs\.ts'/);
      expect(source, file).not.toMatch(/publishServer|publish-run\.ts|verifyArtifacts/);
    }
  });
});
