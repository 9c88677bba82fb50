/**
 * registry/verified/<ns>/<name>.yaml is registry-owned (`mcp-registry verify --record`): a pull request that adds,
 * edits or removes one is never merged by the bot, whoever opens it; a maintainer reviews it like other state.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRawDiff } from '../../scripts/github/changed-files.ts';
import { classifyChanges, type ChangeSet } from '../../scripts/github/classify-changes.ts';
import { diffRaw } from '../../scripts/github/git.ts';
import { decidePr, type PrContext } from '../../scripts/github/pr-decision.ts';
import { serializeVerifiedFile } from '../../scripts/state/verified-file.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const W1 = 'servers/io.github.alice/weather/1.0.0.json';
const RECORD = 'registry/verified/io.github.alice/weather.yaml';
const proof = { registryType: 'npm', identifier: 'weather', proved: 'npm mcpName', checkedAt: '2026-12-03T10:00:00Z' };
const ctx: PrContext = {
  number: 7,
  headSha: 'a'.repeat(40),
  author: 'alice',
  maintainer: { maintainer: false },
  baseRef: 'main',
  defaultBranch: 'main',
  verifyRan: true,
};

let repo: TestRepo;
let base: string;

beforeEach(() => {
  repo = makeRepo();
  repo.write(W1, serverJson('io.github.alice/weather', '1.0.0'));
  repo.write(RECORD, serializeVerifiedFile('io.github.alice/weather', { '1.0.0': [proof] }));
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
});
afterEach(() => repo.cleanup());

async function changesOnBranch(): Promise<ChangeSet> {
  const head = repo.commit('pr');
  const parsed = parseRawDiff(await diffRaw(repo.dir, base, head, true));
  if (!parsed.ok) throw new Error(parsed.error);
  return classifyChanges(parsed.value, { publishedServers: new Set(['io.github.alice/weather']), maxFiles: 100 });
}

describe('a pull request touching registry/verified/', () => {
  it.each([
    ['adds a record', () => repo.write('registry/verified/io.github.alice/other.yaml', serializeVerifiedFile('io.github.alice/other', { '1.0.0': [proof] }))],
    [
      'edits a record',
      () => repo.write(RECORD, serializeVerifiedFile('io.github.alice/weather', { '1.0.0': [{ ...proof, checkedAt: '2030-01-01T00:00:00Z' }] })),
    ],
    ['removes a record', () => repo.remove(RECORD)],
  ])('%s: goes to a maintainer, never auto-merged', async (_what, change) => {
    change();
    const set = await changesOnBranch();
    expect(set.files).toHaveLength(1);
    expect(set.files[0]).toMatchObject({ kind: 'other', checkContent: false, diagnostics: [{ code: 'pr/outside-registry', severity: 'warning' }] });
    const decision = decidePr(set, { validate: { ok: true, files: [] }, verify: { ok: true, files: [] }, lifecycle: [] }, ctx);
    expect(decision.autoMerge).toBe(false);
    expect(decision.reviewReasons.join('\n')).toMatch(/changes files outside servers\//);
  });
});
