import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../scripts/core/diagnostics.ts';
import { commitFiles, COMMIT_DIR } from '../../scripts/ingest/commit-files.ts';
import type { FileChange } from '../../scripts/ingest/commit-files.ts';
import { fixtureRoot } from '../fixtures/api/build-fixture.ts';

const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));

const FILES = ['servers/com.example/calendar/1.0.0.json', 'servers/com.example/weather/1.1.0.json'];

function changes(root: string): FileChange[] {
  return FILES.map((path) => {
    const doc = JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
    return { path, text: `${JSON.stringify({ ...doc, description: 'Rewritten by a sync' }, null, 2)}\n` };
  });
}

const rewritten = (root: string) => FILES.map((path) => readFileSync(join(root, path), 'utf8').includes('Rewritten by a sync'));

/**
 * The state a sync killed between the two renames of its commit leaves: the journal on disk, the
 * first file new and the second old. The commit is left hanging at a step, as a kill leaves it.
 */
async function halfCommitted(): Promise<string> {
  for (let stop = 1; stop < 50; stop += 1) {
    const root = fixtureRoot();
    void commitFiles(root, changes(root), { beforeStep: (step) => (step === stop ? new Promise<void>(() => {}) : undefined) });
    await new Promise((done) => setTimeout(done, 50));
    const [first, second] = rewritten(root);
    if (first && !second) return root;
  }
  throw new Error('no step of the commit leaves one file renamed and the other not');
}

describe('build after a sync killed while committing', () => {
  it('finishes the commit from its journal first, so it never builds a half-written tree', async () => {
    const root = await halfCommitted();
    expect(existsSync(join(root, COMMIT_DIR))).toBe(true);
    const r = spawnSync(process.execPath, [bin, 'build', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(root, COMMIT_DIR))).toBe(false);
    expect(rewritten(root)).toEqual([true, true]);
    for (const entry of ['v0.1/entries/com.example@calendar@1.0.0.json', 'v0.1/entries/com.example@weather@1.1.0.json']) {
      expect(JSON.parse(readFileSync(join(root, 'dist', entry), 'utf8')).server.description, entry).toBe('Rewritten by a sync');
    }
    const report = JSON.parse(r.stdout) as Report;
    expect(report.files.flatMap((f) => f.diagnostics.map((d) => d.code))).toContain('commit/recovered');
  }, 120_000);
});
