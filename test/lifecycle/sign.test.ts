import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { publicKeyOf } from '../../scripts/sign/keys.ts';
import { parseStatusSignature, statusSignatureMatchesKey } from '../../scripts/sign/status-signature.ts';
import { sha256Hex } from '../../scripts/sign/signature-file.ts';

const key = generateKeyPairSync('ed25519').privateKey;
const PEM = key.export({ format: 'pem', type: 'pkcs8' }) as string;
const STATUS = 'registry/status/com.example/weather.yaml';
const NOW = '2026-11-24T10:00:00Z';

let root: string;
let out = '';
let err = '';

function run(env: Record<string, string>, ...argv: string[]): Promise<number> {
  out = '';
  err = '';
  return main(argv, {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    cwd: root,
    env,
  });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mcp-registry-lifecycle-sign-'));
  mkdirSync(join(root, 'servers/com.example/weather'), { recursive: true });
  writeFileSync(join(root, 'servers/com.example/weather/1.0.0.json'), '{}\n');
  writeFileSync(join(root, 'key.pem'), PEM);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const deprecate = (env: Record<string, string>, ...extra: string[]) =>
  run(env, 'deprecate', 'com.example/weather', '--version', '1.0.0', '--message', 'Use 1.1.0', '--now', NOW, ...extra);

describe('deprecate|delete|restore with a key', () => {
  it('writes <status file>.sig over the exact bytes written, for this server, at --now', async () => {
    expect(await deprecate({}, '--key-file', 'key.pem')).toBe(0);
    const parsed = parseStatusSignature(readFileSync(join(root, `${STATUS}.sig`), 'utf8'), STATUS);
    if (!parsed.ok) throw new Error(parsed.error);
    const pub = publicKeyOf(key);
    expect(parsed.value).toMatchObject({ name: 'com.example/weather', signedAt: NOW, sha256: sha256Hex(readFileSync(join(root, STATUS))) });
    expect(pub.ok && statusSignatureMatchesKey(parsed.value, pub.value)).toBe(true);
    expect(out).toMatch(/weather\.yaml\.sig: signed with ed25519:/);
  });

  it('binds the signature to the file as it was before the command (absent, then the first change)', async () => {
    expect(await deprecate({}, '--key-file', 'key.pem')).toBe(0);
    const first = readFileSync(join(root, STATUS));
    const sigOf = () => {
      const p = parseStatusSignature(readFileSync(join(root, `${STATUS}.sig`), 'utf8'), STATUS);
      if (!p.ok) throw new Error(p.error);
      return p.value;
    };
    expect(sigOf().previousSha256).toBe('absent');
    expect(await run({}, 'restore', 'com.example/weather', '--version', '1.0.0', '--now', NOW, '--key-file', 'key.pem')).toBe(0);
    expect(sigOf()).toMatchObject({ previousSha256: sha256Hex(first), sha256: sha256Hex(readFileSync(join(root, STATUS))) });
  });

  it('reads the key from MCP_REGISTRY_PRIVATE_KEY', async () => {
    expect(await deprecate({ MCP_REGISTRY_PRIVATE_KEY: PEM })).toBe(0);
    expect(existsSync(join(root, `${STATUS}.sig`))).toBe(true);
  });

  it('refuses an unreadable key before writing anything', async () => {
    writeFileSync(join(root, 'bad.pem'), 'not a key');
    expect(await deprecate({}, '--key-file', 'bad.pem')).toBe(2);
    expect(existsSync(join(root, STATUS))).toBe(false);
  });

  it('tells a domain owner who signs nothing that a maintainer will review the PR', async () => {
    expect(await deprecate({})).toBe(0);
    expect(existsSync(join(root, `${STATUS}.sig`))).toBe(false);
    expect(err).toMatch(/com\.example\/weather is a domain namespace; sign the change/);
  });

  it('warns that an unsigned change leaves the old signature stale', async () => {
    await deprecate({}, '--key-file', 'key.pem');
    expect(await run({}, 'restore', 'com.example/weather', '--version', '1.0.0', '--now', NOW)).toBe(0);
    expect(err).toMatch(/weather\.yaml\.sig no longer matches the file; sign again/);
  });
});

describe('sign in a GitHub namespace', () => {
  it('refuses, since the pull request author proves io.github.* names, and writes no .sig', async () => {
    mkdirSync(join(root, 'servers/io.github.octo/weather'), { recursive: true });
    writeFileSync(join(root, 'servers/io.github.octo/weather/1.0.0.json'), '{"name": "io.github.octo/weather", "version": "1.0.0"}\n');
    expect(await run({}, 'sign', 'servers/io.github.octo/weather/1.0.0.json', '--key-file', 'key.pem')).toBe(2);
    expect(err).toMatch(/io\.github\.octo\/weather is in a GitHub namespace/);
    expect(existsSync(join(root, 'servers/io.github.octo/weather/1.0.0.json.sig'))).toBe(false);
  });
});

describe('sign on a status file', () => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=T', ...args], { cwd: root, encoding: 'utf8' });
  const sig = () => JSON.parse(readFileSync(join(root, `${STATUS}.sig`), 'utf8'));

  it('binds the change to the file as committed at --base (HEAD by default)', async () => {
    git('init', '-q');
    expect(await deprecate({})).toBe(0);
    git('add', '-A');
    git('commit', '-q', '-m', 'deprecated');
    const committed = readFileSync(join(root, STATUS));
    expect(await run({}, 'restore', 'com.example/weather', '--version', '1.0.0', '--now', NOW)).toBe(0);
    expect(await run({}, 'sign', STATUS, '--key-file', 'key.pem')).toBe(0);
    expect(sig()).toMatchObject({ format: 'mcp-registry-status-signature/v2', previousSha256: sha256Hex(committed) });
    git('commit', '-q', '-am', 'restored');
    expect(await run({}, 'sign', STATUS, '--key-file', 'key.pem', '--base', 'HEAD~1')).toBe(0);
    expect(sig().previousSha256).toBe(sha256Hex(committed));
  });

  it('refuses when --base already holds the signed bytes, which cannot be the state the change replaced', async () => {
    git('init', '-q');
    expect(await deprecate({})).toBe(0);
    git('add', '-A');
    git('commit', '-q', '-m', 'deprecated');
    expect(await run({}, 'sign', STATUS, '--key-file', 'key.pem')).toBe(2);
    expect(err).toMatch(/is committed at HEAD exactly as it is: .*pass --base with the branch your pull request goes into/);
  });

  it('refuses outside a git clone, since it cannot know the state the change replaces', async () => {
    expect(await deprecate({})).toBe(0);
    expect(await run({}, 'sign', STATUS, '--key-file', 'key.pem')).toBe(2);
    expect(err).toMatch(/cannot read the state this change replaces from git revision HEAD/);
    expect(existsSync(join(root, `${STATUS}.sig`))).toBe(false);
  });
});
