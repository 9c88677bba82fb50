import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCheckpoint, parseVerifierKey } from '../../scripts/translog/note.ts';
import { fixtureRoot } from '../fixtures/api/build-fixture.ts';

const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));
const { MCP_REGISTRY_LOG_KEY: _ignored, ...baseEnv } = process.env;
const run = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...baseEnv, ...env } });
const pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('build signs the transparency log', () => {
  it('with --log-key FILE: writes the verifier key and a checkpoint it verifies', () => {
    const root = fixtureRoot();
    writeFileSync(join(root, 'log-key.pem'), pem());
    const r = run(['build', '--log-key', 'log-key.pem'], root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('unsigned');
    const key = parseVerifierKey(readFileSync(join(root, 'dist/log/key'), 'utf8'));
    if (!key.ok) throw new Error(key.error);
    expect(openCheckpoint(readFileSync(join(root, 'dist/log/checkpoint'), 'utf8'), [key.value]).ok).toBe(true);
  });

  it('with MCP_REGISTRY_LOG_KEY the same way, and without a key warns that the checkpoint is unsigned', () => {
    const root = fixtureRoot();
    expect(run(['build'], root, { MCP_REGISTRY_LOG_KEY: pem() }).status).toBe(0);
    expect(existsSync(join(root, 'dist/log/key'))).toBe(true);
    const unsigned = run(['build'], root);
    expect(unsigned.status).toBe(0);
    expect(unsigned.stderr).toContain('dist/log/checkpoint is unsigned');
    expect(existsSync(join(root, 'dist/log/key'))).toBe(false);
  }, 120_000); // two whole builds (the site included) in child processes

  it('exits 2 for a key that is not an Ed25519 PEM, writing nothing', () => {
    const root = fixtureRoot();
    writeFileSync(join(root, 'bad.pem'), 'not a key');
    const bad = run(['build', '--log-key', 'bad.pem'], root);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.pem: not a PEM private key');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const wrong = run(['build'], root, { MCP_REGISTRY_LOG_KEY: ec });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('MCP_REGISTRY_LOG_KEY: the log key must be Ed25519');
    // During a rotation the secret holds two keys: the second is checked as well as the first.
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const second = run(['build'], root, { MCP_REGISTRY_LOG_KEY: `${ed}${ec}` });
    expect(second.status).toBe(2);
    expect(second.stderr).toContain('MCP_REGISTRY_LOG_KEY (key 2 of 2): the log key must be Ed25519');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});

describe('log keygen', () => {
  it('writes a private key only its owner reads, prints the vkey build then signs with, and never overwrites', () => {
    const root = fixtureRoot();
    const r = run(['log', 'keygen', '--out', 'log-key.pem'], root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^127\.0\.0\.1:4321\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/);
    expect(statSync(join(root, 'log-key.pem')).mode & 0o777).toBe(0o600);
    expect(run(['build', '--log-key', 'log-key.pem'], root).status).toBe(0);
    expect(readFileSync(join(root, 'dist/log/key'), 'utf8')).toBe(r.stdout);
    const again = run(['log', 'keygen', '--out', 'log-key.pem'], root);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
  });
});
