import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = 'test/fixtures/system-server/vitest.config.ts';

function runSuite(ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CI;
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];
  if (ci) env.CI = 'true';
  const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', config], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('a suite whose system server is missing', () => {
  it('is skipped locally with one line naming the Debian package', () => {
    const { status, output } = runSuite(false);
    expect(status).toBe(0);
    expect(output).toContain('skipped: a suite that needs ghost-server (needs ghost-server: apt-get install ghost-server-pkg)');
  });

  it('fails under CI=true, naming the package', () => {
    const { status, output } = runSuite(true);
    expect(status).not.toBe(0);
    expect(output).toContain('apt-get install ghost-server-pkg');
  });
});
