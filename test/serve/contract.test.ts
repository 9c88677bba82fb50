import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixture, CONTRACT_EMITTERS, contractRoot, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { describeHostContract } from '../hosts/host-contract.ts';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';

const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));

describeHostContract('mcp-registry serve', async () => {
  const { dist } = await buildFixture(contractRoot(120), 'node', undefined, CONTRACT_EMITTERS);
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

describe('serve after a rebuild', () => {
  it('answers from the new build without a restart', async () => {
    const root = fixtureRoot();
    const { dist } = await buildFixture(root);
    const child = spawn(process.execPath, [bin, 'serve', dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const m = /at (http:\/\/\S+)/.exec(chunk.toString());
          if (m?.[1]) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const path = '/v0.1/servers/com.example%2Fweather/versions/1.0.0';
      expect(((await (await fetch(baseUrl + path)).json()) as ServerResponse).server.title).toBeUndefined();
      const file = join(root, 'servers/com.example/weather/1.0.0.json');
      writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), title: 'Weather' }));
      await buildFixture(root);
      let title: unknown;
      for (let i = 0; i < 50 && title === undefined; i += 1) {
        await new Promise((r) => setTimeout(r, 200));
        title = ((await (await fetch(baseUrl + path)).json()) as ServerResponse).server.title;
      }
      expect(title).toBe('Weather');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
