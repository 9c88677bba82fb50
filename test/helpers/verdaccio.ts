/**
 * Starts a real Verdaccio (npm registry) on 127.0.0.1 with a temporary config and storage, and
 * publishes packages to it with the real `npm publish`. Takes about 5 s: start once per file.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../node_modules/.bin/verdaccio', import.meta.url));

export interface StartedVerdaccio {
  origin: string;
  publish(manifest: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitUntilUp(origin: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${origin}/-/ping`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`verdaccio did not start within ${ms} ms`);
}

export async function startVerdaccio(): Promise<StartedVerdaccio> {
  const dir = await mkdtemp(join(tmpdir(), 'verdaccio-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = join(dir, 'config.yaml');
  await writeFile(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $anonymous $authenticated',
      'log: { type: stdout, format: pretty, level: fatal }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await waitUntilUp(origin, child, 30_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  let n = 0;
  return {
    origin,
    async publish(manifest) {
      const pkgDir = join(dir, `pkg-${n++}`);
      await run('mkdir', ['-p', pkgDir]);
      await writeFile(join(pkgDir, 'package.json'), JSON.stringify(manifest, null, 2));
      await writeFile(join(pkgDir, 'index.js'), 'export {};\n');
      await writeFile(join(pkgDir, '.npmrc'), `//127.0.0.1:${port}/:_authToken=test-token\n`);
      await run('npm', ['publish', '--registry', `${origin}/`, '--access', 'public', '--no-provenance'], {
        cwd: pkgDir,
        env: { ...process.env, npm_config_userconfig: join(pkgDir, '.npmrc') },
      });
    },
    async close() {
      child.kill();
      await new Promise((r) => child.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
