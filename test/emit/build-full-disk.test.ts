import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureRoot } from '../fixtures/api/build-fixture.ts';

// Real small file systems (tmpfs), so the kernel itself answers ENOSPC and EROFS.
const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));
const mounts: string[] = [];

function mountTmpfs(options: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-small-fs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

const probe = process.platform === 'linux' ? mountTmpfs('size=64k') : undefined;
const reason = 'mounting a tmpfs is not permitted here (needs root or CAP_SYS_ADMIN)';
if (!probe && process.env.CI === 'true') throw new Error(`build-full-disk.test.ts: ${reason}; CI must run it`);
if (!probe) process.stdout.write(`skipping the full-disk build tests: ${reason}\n`);

afterAll(() => {
  for (const dir of mounts) {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

function build(root: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, 'build', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** The CLI's last stderr line, after any validation warnings; the whole failure is that one line. */
function failureLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines[lines.length - 1] as string;
}

function expectOneClearLine(r: { status: number | null; stderr: string }, what: RegExp, where: string) {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |Error:/);
  const line = failureLine(r.stderr);
  expect(line).toMatch(/^mcp-registry build: /);
  expect(line).toMatch(what);
  expect(line).toContain(where);
}

describe.skipIf(!probe)('a build that runs out of room', () => {
  it('says the disk is full, where, and how much is left, and keeps the previous output', () => {
    const disk = mountTmpfs('size=1m') as string;
    const out = join(disk, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, 'previous.txt'), 'the previous build');
    const r = build(fixtureRoot(400), ['--out', out]);
    expectOneClearLine(r, /^mcp-registry build: no space left on the device: ENOSPC \(\w+ /, disk);
    expect(failureLine(r.stderr)).toMatch(/ on a file system of 1\.0 MiB; free some space there and build again/);
    expect(readFileSync(join(out, 'previous.txt'), 'utf8')).toBe('the previous build');
    expect(spawnSync('ls', ['-A', disk], { encoding: 'utf8' }).stdout.trim()).toBe('dist');
  }, 120_000);

  it('names the full disk the site build (a separate Astro process) was writing to', () => {
    const tmp = mountTmpfs('size=256k') as string;
    const root = fixtureRoot();
    const r = build(root, [], { TMPDIR: tmp });
    expectOneClearLine(r, /no space left on the device: ENOSPC/, tmp);
    expect(spawnSync('ls', ['-A', tmp], { encoding: 'utf8' }).stdout.trim()).toBe('');
  }, 180_000);

  it('says the output folder is on a read-only file system', () => {
    const ro = mountTmpfs('ro,size=64k') as string;
    const r = build(fixtureRoot(), ['--out', join(ro, 'dist')]);
    expectOneClearLine(r, /the file system is read-only: EROFS \(mkdir /, ro);
    expect(failureLine(r.stderr)).toMatch(/build into a writable folder/);
  }, 120_000);
});
