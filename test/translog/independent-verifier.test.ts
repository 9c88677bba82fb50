/**
 * What the build writes under dist/log/ is accepted by a verifier in another language (Python and
 * openssl, test/translog/verify-log.py) written from the specifications, and refused once one
 * served server.json or the checkpoint changes.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { apiEmitter } from '../../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { logEmitter } from '../../scripts/emit/log-emitter.ts';
import { fixtureRoot, sortedPathDates } from '../fixtures/api/build-fixture.ts';

const VERIFIER = fileURLToPath(new URL('./verify-log.py', import.meta.url));
const hasTools = spawnSync('python3', ['--version']).status === 0 && spawnSync('openssl', ['version']).status === 0;
if (!hasTools) {
  if (process.env.CI === 'true') throw new Error('python3 and openssl are required for the independent log verifier (Debian packages python3, openssl)');
  console.warn('skipping the independent log verifier: install the Debian packages python3 and openssl');
}

function verify(dist: string): { status: number | null; out: string } {
  const r = spawnSync('python3', [VERIFIER, dist], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!hasTools)('an independent verifier of dist/log/', () => {
  it('accepts the build, and refuses a changed server.json or checkpoint', async () => {
    const root = fixtureRoot();
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const result = await buildRegistry({
      root,
      config: structuredClone(DEFAULT_CONFIG),
      host: 'node',
      out: join(root, 'dist'),
      dates: sortedPathDates,
      emitters: [apiEmitter, logEmitter],
      logKey: pem,
    });
    expect(result.report.ok).toBe(true);
    const dist = join(root, 'dist');
    const good = verify(dist);
    expect(good.out).toMatch(/^ok 127\.0\.0\.1:4321\/log 10\n$/);
    expect(good.status).toBe(0);

    const served = join(dist, 'log/servers/com.example@weather@1.0.0.json');
    const original = readFileSync(served);
    writeFileSync(served, Buffer.concat([original, Buffer.from(' ')]));
    const changed = verify(dist);
    expect(changed.status).not.toBe(0);
    expect(changed.out).toContain('served file differs: com.example/weather 1.0.0');
    writeFileSync(served, original);

    const checkpoint = join(dist, 'log/checkpoint');
    const note = readFileSync(checkpoint, 'utf8');
    writeFileSync(checkpoint, note.replace(/\n10\n[^\n]+\n/, `\n10\n${Buffer.alloc(32).toString('base64')}\n`));
    const otherRoot = verify(dist);
    expect(otherRoot.status).not.toBe(0);
    expect(otherRoot.out).toContain('the entries do not make the checkpoint root');
    // The same tree under a signature made over other bytes.
    const [body, signature] = note.split('\n\n');
    const bytes = Buffer.from(signature!.trim().split(' ')[2]!, 'base64');
    bytes[10] = bytes[10]! ^ 1;
    writeFileSync(checkpoint, `${body}\n\n\u2014 127.0.0.1:4321 ${bytes.toString('base64')}\n`);
    const forged = verify(dist);
    expect(forged.status).not.toBe(0);
    expect(forged.out).toContain('signature');
  });
});
