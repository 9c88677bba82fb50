import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildFixture, fixtureRoot } from './fixtures/api/build-fixture.ts';
import { describeHostContract } from './fixtures/api/host-contract.ts';

const bin = fileURLToPath(new URL('../bin/mcp-registry.js', import.meta.url));

describeHostContract('mcp-registry serve', async () => {
  const { dist } = await buildFixture(fixtureRoot(120));
  const child = spawn(process.execPath, [bin, 'serve', dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => reject(new Error(chunk.toString())));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return {
    baseUrl,
    dist,
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
});
