import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { markedProcesses, waitFor } from '../fixtures/build/processes.ts';

// Real builds (site included, so a real Astro child) killed at named points; Linux only (/proc).
const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));
const BUILDS_DIR = fileURLToPath(new URL('../../site/.astro/builds', import.meta.url));
const MARK = 'MCP_BUILD_KILL_TEST';

interface Workspace {
  root: string;
  tmp: string;
  mark: string;
  pids: number[];
}

function workspace(): Workspace {
  const root = fixtureRoot();
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  return { root, tmp, mark: `${process.pid}-${Math.random().toString(36).slice(2)}`, pids: [] };
}

function startBuild(w: Workspace) {
  const child = spawn(process.execPath, [bin, 'build'], {
    cwd: w.root,
    env: { ...process.env, TMPDIR: w.tmp, [MARK]: w.mark },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  w.pids.push(child.pid as number);
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

function ls(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** What builds of this workspace left: output temporaries, site data, Astro project copies. */
function temporaries(w: Workspace): string[] {
  const ours = new RegExp(`^b-(?:${w.pids.join('|')})-`);
  return [
    // `.dist.spare` is not a temporary: build keeps the tree it swapped out there for the next build (files/atomic-tree.ts).
    ...ls(w.root).filter((n) => (n.startsWith('.dist.') && n !== '.dist.spare') || n.startsWith('.site-staging-')),
    ...ls(w.tmp).filter((n) => n.startsWith('mcp-site-data-')),
    ...ls(BUILDS_DIR).filter((n) => ours.test(n)),
  ];
}

function tmpTree(w: Workspace): string | undefined {
  const name = ls(w.root).find((n) => n.startsWith('.dist.tmp-'));
  return name === undefined ? undefined : join(w.root, name);
}

/** Astro writes into a run folder beside the output tree, whose files the tree then adopts by rename. */
function stagingHasFiles(w: Workspace): boolean {
  return ls(w.root).some((n) => (n.startsWith('.site-run-') || n.startsWith('.site-staging-')) && ls(join(w.root, n)).length > 0);
}

const astroRunning = (w: Workspace) => markedProcesses(MARK, w.mark).some((p) => p.command.includes('astro-build-process'));

/** Kill points, in the order a build passes them; `after` waits that long once the point is reached. */
const POINTS: { name: string; reached: (w: Workspace) => boolean; after?: number }[] = [
  { name: 'starting up, before any temporary', reached: () => true, after: 150 },
  { name: 'output tree created', reached: (w) => tmpTree(w) !== undefined },
  { name: 'Astro child started', reached: astroRunning },
  { name: 'Astro running for 0.5 s', reached: astroRunning, after: 500 },
  { name: 'Astro writing pages', reached: stagingHasFiles },
  { name: 'site files moved into the tree', reached: (w) => existsSync(join(tmpTree(w) ?? '/nonexistent', 'index.html')) },
  {
    name: 'swapping the trees',
    reached: (w) => existsSync(join(tmpTree(w) ?? '/nonexistent', '.build-manifest.json')) || ls(w.root).some((n) => n.startsWith('.dist.old-')),
  },
];

async function noneLeft(w: Workspace, ms: number) {
  return (await waitFor(() => (markedProcesses(MARK, w.mark).length === 0 ? true : undefined), ms, 20)) === true;
}

describe.skipIf(process.platform !== 'linux')('a killed build', () => {
  it('leaves no process behind at any kill point, and the next build clears every temporary', async () => {
    const w = workspace();
    const first = await startBuild(w).exited;
    expect(first.code, first.output).toBe(0);
    const report: string[] = [];
    let reachedPoints = 0;
    // Each build clears what earlier ones left, and a kill while swapping can land after the
    // cleanup; so end on a point that always leaves temporaries for the next build to clear.
    const writing = POINTS.find((p) => p.name === 'Astro writing pages');
    for (const point of [...POINTS, ...(writing ? [writing] : [])]) {
      // The site's page cache would let the build skip Astro, whose kill points are the ones to reach.
      rmSync(join(w.root, '.cache', 'site'), { recursive: true, force: true });
      const build = startBuild(w);
      let done = false;
      void build.exited.then(() => (done = true));
      const reached = await waitFor(() => (point.reached(w) ? true : done ? false : undefined), 120_000, 5);
      if (reached && point.after) await new Promise((r) => setTimeout(r, point.after));
      const killedAt = Date.now();
      build.child.kill('SIGKILL');
      const { signal } = await build.exited;
      if (signal !== 'SIGKILL') {
        report.push(`${point.name}: finished before the kill`);
        continue;
      }
      reachedPoints += 1;
      const gone = await noneLeft(w, 5000);
      report.push(`${point.name}: helpers gone after ${Date.now() - killedAt} ms; left ${temporaries(w).length} temporaries`);
      expect(gone, `${point.name}: still running: ${JSON.stringify(markedProcesses(MARK, w.mark))}`).toBe(true);
      // The previous tree is in place, or (killed between the two renames) waiting to be put back.
      expect(existsSync(join(w.root, 'dist', 'v0.1', 'health.json')) || ls(w.root).some((n) => n.startsWith('.dist.old-')), point.name).toBe(true);
    }
    expect(reachedPoints, report.join('\n')).toBeGreaterThanOrEqual(POINTS.length);
    const leftover = temporaries(w);
    expect(leftover.length, 'the kills left temporaries for the next build to clear').toBeGreaterThan(0);

    const next = await startBuild(w).exited;
    expect(next.code, next.output).toBe(0);
    // The old tree goes in the background after the swap.
    const clean = await waitFor(() => (temporaries(w).length === 0 ? true : undefined), 10_000, 50);
    expect(clean ? [] : temporaries(w), `after the next build (before it: ${leftover.join(', ')})`).toEqual([]);
    expect(await noneLeft(w, 5000)).toBe(true);
    expect(spawnSync('ls', [join(w.root, 'dist', 'v0.1', 'health.json')]).status).toBe(0);
    process.stdout.write(`build kill points:\n  ${report.join('\n  ')}\n  before the next build: ${leftover.length} temporaries; after it: 0\n`);
  }, 600_000);

  it('cleans up at once on SIGTERM (temporaries and the Astro child) and dies of the signal', async () => {
    const w = workspace();
    const build = startBuild(w);
    const reached = await waitFor(() => (astroRunning(w) ? true : undefined), 120_000, 10);
    expect(reached).toBe(true);
    build.child.kill('SIGTERM');
    const { signal } = await build.exited;
    expect(signal).toBe('SIGTERM');
    expect(await noneLeft(w, 3000)).toBe(true);
    expect(temporaries(w)).toEqual([]);
  }, 180_000);
});
