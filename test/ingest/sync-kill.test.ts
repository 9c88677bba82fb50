import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { COMMIT_DIR, recoverCommit } from '../../scripts/ingest/commit-files.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream } from '../fixtures/sync/upstream-server.ts';

// kill -9 of the real CLI at every file operation of a sync's commit (and of the recovery that
// follows one): the next run must see exactly the old tree or the new one, and converge.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const node = join(repo, 'node_modules/.bin/node');
const cli = join(repo, 'scripts/cli/main.ts');
const SOURCE_DATE_EPOCH = '1767225600';
const work = mkdtempSync(join(tmpdir(), 'sync-kill-'));
let upstream: Upstream;

interface Run {
  code: number | null;
  stderr: string;
  paused: boolean;
}

/** Runs `sync --full`; with `pause`, SIGKILLs the process once it reports the pause. */
function runSync(root: string, pause?: string): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, SOURCE_DATE_EPOCH, ...(pause ? { MCP_REGISTRY_FAULT_PAUSE: pause } : {}) };
    const child = spawn(node, [cli, 'sync', '--from', upstream.url, '--full', '--out', root], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let paused = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!paused && stderr.includes('fault: paused before')) {
        paused = true;
        child.kill('SIGKILL');
      }
    });
    child.on('close', (code) => resolve({ code, stderr, paused }));
  });
}

/** Every file of the registry tree with its hash; the walk journal is not part of it. */
function snapshot(root: string): string {
  const files = fg.sync(['servers/**', 'registry/**'], { cwd: root, onlyFiles: true, dot: true, ignore: ['registry/sync/*.journal/**'] }).sort();
  return files
    .map(
      (f) =>
        `${f} ${createHash('sha256')
          .update(readFileSync(join(root, f)))
          .digest('hex')}`,
    )
    .join('\n');
}

const oldRoot = join(work, 'old');
const newRoot = join(work, 'new');
let oldTree = '';
let newTree = '';
let commitSteps = 0;
let recoverSteps = 0;

beforeAll(async () => {
  const first = Array.from({ length: 12 }, (_, i) => makeEntry(i));
  upstream = await startUpstream({ entries: first });
  expect((await runSync(oldRoot)).code).toBe(0);
  oldTree = snapshot(oldRoot);
  // The second listing: 2 new names, a new version, a version deprecated (a status file, its
  // provenance replaced), an entry gone (a removal) and one with a poisoned date (quarantined).
  upstream.entries = [
    ...first.slice(1).map((e, i) => (i === 0 ? makeEntry(1, { status: 'deprecated', updatedAt: '2025-07-01T00:00:00Z' }) : e)),
    makeEntry(100),
    makeEntry(101),
    makeEntry(5, { version: '2.0.0' }),
    makeEntry(200, { updatedAt: 'yesterday' }),
  ];
  cpSync(oldRoot, newRoot, { recursive: true });
  const traced = await runSync(newRoot, 'trace');
  expect(traced.code).toBe(1);
  newTree = snapshot(newRoot);
  commitSteps = (traced.stderr.match(/fault: commit step/g) ?? []).length;
}, 120_000);
afterAll(async () => {
  await upstream?.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * After a kill: what the next run's recovery makes of a copy of the tree is the old or the new tree,
 * and the next run itself (which recovers first) converges on the new tree.
 */
async function checkRecovery(root: string): Promise<'old' | 'new'> {
  const interrupted = existsSync(join(root, COMMIT_DIR));
  const copy = `${root}-copy`;
  cpSync(root, copy, { recursive: true });
  await recoverCommit(copy);
  const tree = snapshot(copy);
  expect(existsSync(join(copy, COMMIT_DIR))).toBe(false);
  expect([oldTree, newTree]).toContain(tree);
  rmSync(copy, { recursive: true, force: true });
  let out = '';
  const io = {
    stdout: (t: string) => {
      out += t;
    },
    stderr: (t: string) => {
      out += t;
    },
    cwd: root,
    env: { SOURCE_DATE_EPOCH },
  };
  expect(await main(['sync', '--from', upstream.url, '--full'], io), out).toBe(1);
  expect(out.includes('warning commit/recovered')).toBe(interrupted);
  expect(snapshot(root)).toBe(newTree);
  expect(existsSync(join(root, COMMIT_DIR))).toBe(false);
  expect(fg.sync('registry/sync/*.journal/**', { cwd: root })).toEqual([]);
  return tree === oldTree ? 'old' : 'new';
}

describe('a sync killed during its commit', () => {
  it('changes the tree between the two runs it is tested on', () => {
    expect(newTree).not.toBe(oldTree);
    expect(newTree).toMatch(/registry\/quarantine\/sync-/);
    expect(commitSteps).toBeGreaterThan(20);
  });

  it('is recovered to the old or the new tree at every step, and the next run converges', async () => {
    const seen: Record<string, number> = { old: 0, new: 0 };
    for (let k = 1; k <= commitSteps; k += 1) {
      const root = join(work, `kill-${k}`);
      cpSync(oldRoot, root, { recursive: true });
      const killed = await runSync(root, `commit:${k}`);
      expect(killed.paused, `step ${k}: ${killed.stderr}`).toBe(true);
      expect(killed.code).toBe(null);
      seen[await checkRecovery(root)]! += 1;
      rmSync(root, { recursive: true, force: true });
    }
    // Before the commit point the old tree comes back, after it the new one.
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
    console.log(`kill points: ${commitSteps} commit steps, old ${seen.old}, new ${seen.new}`);
  }, 600_000);

  it('is recovered when the recovery itself is killed, at every step of it', async () => {
    // Killed just before its last rename: the recovery has the most left to do.
    const k = commitSteps - 1;
    const probe = join(work, 'probe');
    cpSync(oldRoot, probe, { recursive: true });
    await runSync(probe, `commit:${k}`);
    const traced = await runSync(probe, 'trace');
    rmSync(probe, { recursive: true, force: true });
    recoverSteps = (traced.stderr.match(/fault: recover step/g) ?? []).length;
    expect(recoverSteps).toBeGreaterThan(1);
    for (let j = 1; j <= recoverSteps; j += 1) {
      const root = join(work, `recover-${j}`);
      cpSync(oldRoot, root, { recursive: true });
      expect((await runSync(root, `commit:${k}`)).paused).toBe(true);
      expect((await runSync(root, `recover:${j}`)).paused).toBe(true);
      expect(await checkRecovery(root)).toBe('new');
      rmSync(root, { recursive: true, force: true });
    }
    console.log(`recovery kill points: ${recoverSteps}`);
  }, 600_000);
});
