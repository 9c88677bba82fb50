/**
 * The author CLI as authors get it: `npm pack`ed, installed from the tarball into an empty folder
 * with the system npm (offline: it has no dependencies to fetch), run on the system Node, and
 * publishing against a fake GitHub API on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packCli } from '../../scripts/cli/pack-cli.ts';
import { startFakeGitHub } from '../fixtures/github/fake-github.ts';
import { serverJson } from '../fixtures/github/git-repo.ts';

const run = promisify(execFile);
/** PATH without node_modules/.bin, so `node` and `npm` are the system ones an author has. */
const systemPath = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((d) => d !== '' && !d.includes('node_modules'))
  .join(delimiter);
const hasSystemNpm = systemPath.split(delimiter).some((d) => {
  try {
    accessSync(join(d, 'npm'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

describe.skipIf(!hasSystemNpm)('the packed author CLI', () => {
  let project: string;
  let installMs = 0;
  const env = { PATH: systemPath, HOME: mkdtempSync(join(tmpdir(), 'cli-home-')), npm_config_cache: mkdtempSync(join(tmpdir(), 'cli-npm-cache-')) };

  beforeAll(async () => {
    const tgz = await packCli(mkdtempSync(join(tmpdir(), 'cli-pack-')));
    expect(tgz).toMatch(/\.tgz$/);
    project = mkdtempSync(join(tmpdir(), 'cli-project-'));
    writeFileSync(join(project, 'package.json'), '{"name":"author-project","private":true}\n');
    const started = performance.now();
    await run('npm', ['install', tgz, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env });
    installMs = performance.now() - started;
  }, 120_000);

  it('installs in seconds, under 5 MB, with the bin mcp-registry', async () => {
    expect(installMs).toBeLessThan(5000);
    expect(sizeOf(join(project, 'node_modules'))).toBeLessThan(5 * 1024 * 1024);
    const { stdout } = await run(join(project, 'node_modules/.bin/mcp-registry'), ['--help'], { cwd: project, env });
    expect(stdout).toMatch(/^ {2}publish /m);
    expect(stdout).not.toMatch(/^ {2}(build|serve|sync) /m);
  });

  it('validates and publishes from the author project to a registry repository', async () => {
    const gh = await startFakeGitHub();
    try {
      gh.tokens.set('alice-pat', 'alice');
      gh.addRepo('reg/registry', { files: { 'README.md': 'x\n' } });
      writeFileSync(join(project, 'server.json'), serverJson('io.github.alice/weather', '1.0.0'));
      const bin = join(project, 'node_modules/.bin/mcp-registry');
      await expect(run(bin, ['validate', 'server.json'], { cwd: project, env })).resolves.toBeTruthy();
      const { stdout } = await run(bin, ['publish', '--registry', 'reg/registry', '--api-url', gh.url], {
        cwd: project,
        env: { ...env, GH_TOKEN: 'alice-pat' },
      });
      expect(stdout).toMatch(/^created \S+\/pull\/\d+\n$/);
      expect(
        gh.repos.get('alice/registry')?.branches.get('mcp-registry/io.github.alice/weather/1.0.0')?.has('servers/io.github.alice/weather/1.0.0.json'),
      ).toBe(true);
    } finally {
      await gh.close();
    }
  });

  it('verify says which Node it needs instead of crashing on an older one', async () => {
    const { stdout: version } = await run('node', ['--version'], { env });
    const bin = join(project, 'node_modules/.bin/mcp-registry');
    const result = await run(bin, ['verify', 'server.json'], { cwd: project, env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    if (Number(version.slice(1).split('.')[0]) < 22) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/verify needs Node 22 or later/);
    } else expect(result.stderr).not.toMatch(/internal error/);
  });
});
