import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream } from '../fixtures/sync/upstream-server.ts';

// Runs the run: scripts of .github/workflows/sync.yml with bash, as the runner does, in a git
// repository whose config lists a working upstream, one that fails mid-walk and one that is down.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const workflow = parse(readFileSync(join(repo, '.github/workflows/sync.yml'), 'utf8')) as {
  jobs: { sync: { steps: { name?: string; run?: string }[] } };
};
function stepScript(name: string): string {
  const step = workflow.jobs.sync.steps.find((s) => s.name === name);
  if (step?.run === undefined) throw new Error(`sync.yml has no step '${name}'`);
  return step.run;
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let root: string;
let runnerTemp: string;
const upstreams: Upstream[] = [];

/** Async: the upstreams answer from this process, so the step must not block it. */
function runStep(name: string): Promise<{ status: number | null; out: string }> {
  const env = {
    ...process.env,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: join(runnerTemp, 'output'),
    FULL: '',
    PATH: `${join(repo, 'node_modules/.bin')}:${process.env.PATH}`,
  };
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', stepScript(name)], { cwd: root, env });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, out })));
}

describe('the nightly sync workflow', () => {
  let sync: { status: number | null; out: string };
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sync-workflow-'));
    runnerTemp = mkdtempSync(join(tmpdir(), 'sync-workflow-runner-'));
    symlinkSync(join(repo, 'bin'), join(root, 'bin'));
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
    spawnSync('git', ['init', '-q'], { cwd: root });
    const good = await startUpstream({ entries: [makeEntry(0), makeEntry(1)] });
    const midway = await startUpstream({
      entries: Array.from({ length: 150 }, (_, i) => makeEntry(i + 10)),
      intercept: (_n, url) => (url.searchParams.has('cursor') ? { status: 503, body: 'down' } : undefined),
    });
    upstreams.push(good, midway);
    const down = `http://127.0.0.1:${await closedPort()}`;
    writeFileSync(join(root, 'registry.config.yaml'), `upstreams:\n  - url: ${good.url}\n  - url: ${midway.url}\n  - url: ${down}\n`);
    sync = await runStep('Sync each upstream');
  }, 120_000);
  afterAll(async () => {
    for (const u of upstreams) await u.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(runnerTemp, { recursive: true, force: true });
  });

  it('syncs the working upstream even when others fail', () => {
    expect(sync.status).toBe(0);
    expect(existsSync(join(root, 'servers/io.github.upstream-org/server-00001/1.0.0.json'))).toBe(true);
  });

  it('records an upstream that fails mid-walk and one that is down as failed', () => {
    const failed = readFileSync(join(runnerTemp, 'failed.txt'), 'utf8').trim().split('\n');
    expect(failed).toEqual([upstreams[1]!.url, expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/)]);
  });

  it('stages mirrored files but not the journal a failed walk leaves', async () => {
    expect(readdirSync(join(root, 'registry/sync')).some((f) => f.endsWith('.journal'))).toBe(true);
    const stage = await runStep('Stage the changes');
    expect(stage.status).toBe(0);
    const staged = spawnSync('git', ['diff', '--cached', '--name-only'], { cwd: root, encoding: 'utf8' }).stdout.split('\n');
    expect(staged).toContain('servers/io.github.upstream-org/server-00001/1.0.0.json');
    expect(staged.filter((p) => p.includes('.journal'))).toEqual([]);
    expect(readFileSync(join(runnerTemp, 'output'), 'utf8')).toContain('changed=true');
  });

  it('fails the run at the end when an upstream failed', async () => {
    const last = await runStep('Fail when an upstream failed');
    expect(last.status).toBe(1);
    expect(last.out).toContain(upstreams[1]!.url);
  });
});

describe('staging with nothing synced', () => {
  it('says unchanged instead of failing when registry/ does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-workflow-empty-'));
    const temp = mkdtempSync(join(tmpdir(), 'sync-workflow-runner-'));
    try {
      spawnSync('git', ['init', '-q'], { cwd: dir });
      mkdirSync(join(dir, 'servers/io.github.a/b'), { recursive: true });
      writeFileSync(join(dir, 'servers/io.github.a/b/1.0.0.json'), '{}\n');
      spawnSync('git', ['add', '.'], { cwd: dir });
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x'], { cwd: dir });
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', stepScript('Stage the changes')], {
        cwd: dir,
        env: { ...process.env, GITHUB_OUTPUT: join(temp, 'output') },
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      expect(readFileSync(join(temp, 'output'), 'utf8')).toContain('changed=false');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
