import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureRoot, tempDir } from '../fixtures/api/build-fixture.ts';

const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });

describe('build and serve on the command line', () => {
  it('documents build and serve in --help', () => {
    const buildHelp = run(['build', '--help'], tempDir('cli')).stdout;
    expect(buildHelp).toMatch(/--host KIND/);
    expect(buildHelp).toMatch(/search index/);
    expect(buildHelp).toMatch(/browsable\s+site/);
    expect(run(['serve', '--help'], tempDir('cli')).stdout).toMatch(/--port N/);
  });

  it('exits 2 for an unknown host kind and names the valid ones', () => {
    const r = run(['build', '--host', 'apache'], fixtureRoot());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/node, nginx, netlify, cloudflare, github-pages/);
  });

  it('exits 1 and writes nothing when a server file is invalid', () => {
    const root = fixtureRoot();
    writeFileSync(join(root, 'servers/com.example/weather/1.0.0.json'), '{"name": "com.example/weather"}');
    const r = run(['build', '--format', 'json'], root);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).ok).toBe(false);
    expect(spawnSync('ls', [join(root, 'dist')]).status).not.toBe(0);
  });

  it('says how many of the versions it counts are deleted', () => {
    const r = run(['build', '--out', 'out'], fixtureRoot());
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^built \d+ servers, \d+ versions \(1 deleted, served only with include_deleted\) for host node/m);
  });

  it('exits 2 when serve finds no build', () => {
    const r = run(['serve', 'nowhere', '--port', '0'], tempDir('cli'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/run `mcp-registry build` first/);
  });
});
