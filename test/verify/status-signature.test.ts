import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { keyRecord, publicKeyOf } from '../../scripts/sign/keys.ts';
import { serializeSignatureFile, signVersionFile } from '../../scripts/sign/signature-file.ts';
import { parseStatusSignature, serializeStatusSignature, signStatusFile, statusSignatureMatchesKey } from '../../scripts/sign/status-signature.ts';
import { STATUS_SIGNATURE_TTL_MS, statusSignatureProblems } from '../../scripts/lifecycle/signature-replay.ts';
import { sha256Hex } from '../../scripts/sign/signature-file.ts';
import { startDnsServer, type StartedDnsServer } from '../helpers/dns-server.ts';

const owner = generateKeyPairSync('ed25519').privateKey;
const STATUS = 'registry/status/com.example/weather.yaml';
const TEXT = 'versions:\n  "1.0.0":\n    status: deprecated\n    statusMessage: Use 1.1.0\n    statusChangedAt: "2026-11-01T00:00:00Z"\n';

function pub(key: KeyObject) {
  const p = publicKeyOf(key);
  if (!p.ok) throw new Error(p.error);
  return p.value;
}

let root: string;
let dns: StartedDnsServer;

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => {},
    cwd: root,
    env: {},
  });
  return { code, stdout };
}
const verify = async () => JSON.parse((await cli(['verify', '--format', 'json', '--no-cache', '--endpoint', `dns=${dns.endpoint}`, '--', STATUS])).stdout);
const codes = async () => (await verify()).files.flatMap((f: { diagnostics: { code: string }[] }) => f.diagnostics.map((d) => d.code));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'verify-status-'));
  await writeFile(join(root, 'key.pem'), owner.export({ format: 'pem', type: 'pkcs8' }) as string);
  await mkdir(join(root, 'registry/status/com.example'), { recursive: true });
  // `sign` reads the state a status change replaces from git.
  for (const args of [
    ['init', '-q'],
    ['-c', 'user.email=t@example.invalid', '-c', 'user.name=T', 'commit', '-q', '--allow-empty', '-m', 'empty'],
  ])
    execFileSync('git', args, { cwd: root });
  dns = await startDnsServer({ txt: { 'example.com': [[keyRecord(pub(owner))]] } });
});
afterAll(async () => {
  await dns?.close();
  await rm(root, { recursive: true, force: true });
});

async function reset(): Promise<void> {
  await writeFile(join(root, STATUS), TEXT);
  await rm(join(root, `${STATUS}.sig`), { force: true });
}

describe('status file signatures (format)', () => {
  it('round-trips and verifies with Ed25519 and ECDSA P-384 keys', () => {
    for (const key of [owner, generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey]) {
      const signed = signStatusFile(key, { bytes: Buffer.from(TEXT), previous: undefined, name: 'com.example/weather', now: new Date() });
      if (!signed.ok) throw new Error(signed.error);
      const parsed = parseStatusSignature(serializeStatusSignature(signed.value), STATUS);
      expect(parsed.ok && statusSignatureMatchesKey(parsed.value, pub(key))).toBe(true);
    }
  });

  it('does not verify with another key', () => {
    const signed = signStatusFile(owner, { bytes: Buffer.from(TEXT), previous: undefined, name: 'com.example/weather', now: new Date() });
    expect(signed.ok && statusSignatureMatchesKey(signed.value, pub(generateKeyPairSync('ed25519').privateKey))).toBe(false);
  });

  it('refuses a version file’s signature in place of a status file’s', () => {
    const v = signVersionFile(owner, { bytes: Buffer.from(TEXT), name: 'com.example/weather', version: '1.0.0', now: new Date() });
    if (!v.ok) throw new Error(v.error);
    expect(parseStatusSignature(serializeSignatureFile(v.value), STATUS)).toMatchObject({ ok: false, versionSignature: true });
  });

  it('reports a replacement that is not later than the base’s signature as replayed', () => {
    const sign = (iso: string) => {
      const s = signStatusFile(owner, { bytes: Buffer.from(TEXT), previous: undefined, name: 'com.example/weather', now: new Date(iso) });
      if (!s.ok) throw new Error(s.error);
      return serializeStatusSignature(s.value);
    };
    const older = sign('2026-11-01T00:00:00Z');
    const newer = sign('2026-11-02T00:00:00Z');
    const problems = (base: string | undefined, head: string) =>
      statusSignatureProblems({
        statusPath: STATUS,
        baseSignature: base,
        headSignature: head,
        baseStatus: undefined,
        now: new Date('2026-11-02T01:00:00Z'),
      }).map((d) => d.code);
    expect(problems(newer, older)).toContain('lifecycle/signature-replayed');
    expect(problems(older, newer)).toEqual([]);
    expect(problems(undefined, newer)).toEqual([]);
  });

  it('binds a signature to the state it replaces, inside the signed message', () => {
    const base = Buffer.from(TEXT);
    const next = Buffer.from(TEXT.replace('deprecated', 'deleted'));
    const signed = signStatusFile(owner, { bytes: next, previous: base, name: 'com.example/weather', now: new Date() });
    if (!signed.ok) throw new Error(signed.error);
    expect(signed.value.previousSha256).toBe(sha256Hex(base));
    const moved = { ...signed.value, previousSha256: 'absent' };
    expect(statusSignatureMatchesKey(signed.value, pub(owner))).toBe(true);
    expect(statusSignatureMatchesKey(moved, pub(owner))).toBe(false);
  });

  it('refuses a signature made for another base state, or older than 72 hours', () => {
    const now = new Date('2026-11-10T00:00:00Z');
    const sign = (previous: Buffer | undefined, at: Date) => {
      const s = signStatusFile(owner, { bytes: Buffer.from('versions: {}\n'), previous, name: 'com.example/weather', now: at });
      if (!s.ok) throw new Error(s.error);
      return serializeStatusSignature(s.value);
    };
    const problems = (head: string, baseStatus: Buffer | undefined) =>
      statusSignatureProblems({ statusPath: STATUS, baseSignature: undefined, headSignature: head, baseStatus, now }).map((d) => d.code);
    const base = Buffer.from(TEXT);
    expect(problems(sign(base, now), base)).toEqual([]);
    expect(problems(sign(undefined, now), base)).toEqual(['lifecycle/signature-base-mismatch']);
    expect(problems(sign(base, now), undefined)).toEqual(['lifecycle/signature-base-mismatch']);
    expect(problems(sign(base, new Date(now.getTime() - STATUS_SIGNATURE_TTL_MS + 60_000)), base)).toEqual([]);
    expect(problems(sign(base, new Date(now.getTime() - STATUS_SIGNATURE_TTL_MS - 60_000)), base)).toEqual(['lifecycle/signature-expired']);
  });

  it('reads an unbound v1 signature only to refuse it', () => {
    const v1 = JSON.stringify({
      format: 'mcp-registry-status-signature/v1',
      algorithm: 'ed25519',
      publicKey: 'x',
      name: 'com.example/weather',
      sha256: 'a'.repeat(64),
      signedAt: '2026-11-01T00:00:00Z',
      signature: 'ab',
    });
    expect(parseStatusSignature(v1, STATUS)).toMatchObject({ ok: false, unbound: true, error: expect.stringMatching(/does not name the state it replaces/) });
  });
});

describe('mcp-registry sign and verify on a status file', () => {
  it('signs the status file and verify proves it with the key in DNS', async () => {
    await reset();
    const signed = await cli(['sign', STATUS, '--key-file', 'key.pem']);
    expect(signed.code).toBe(0);
    expect(JSON.parse(await readFile(join(root, `${STATUS}.sig`), 'utf8'))).toMatchObject({
      format: 'mcp-registry-status-signature/v2',
      name: 'com.example/weather',
      previousSha256: 'absent',
    });
    expect(await verify()).toEqual({ ok: true, files: [{ path: STATUS, ok: true, diagnostics: [] }] });
  });

  it('reports a missing signature', async () => {
    await reset();
    expect(await codes()).toEqual(['verify/domain-signature-missing']);
  });

  it('reports a status file changed after signing', async () => {
    await reset();
    await cli(['sign', STATUS, '--key-file', 'key.pem']);
    await writeFile(join(root, STATUS), TEXT.replace('Use 1.1.0', 'Use 2.0.0'));
    expect(await codes()).toEqual(['verify/domain-signature-bytes-mismatch']);
  });

  it('reports another server’s status signature as reused', async () => {
    await reset();
    const other = signStatusFile(owner, { bytes: Buffer.from(TEXT), previous: undefined, name: 'com.example/maps', now: new Date() });
    if (!other.ok) throw new Error(other.error);
    await writeFile(join(root, `${STATUS}.sig`), serializeStatusSignature(other.value));
    expect(await codes()).toEqual(['verify/domain-signature-reused']);
  });

  it('reports an expired signature', async () => {
    await reset();
    const old = signStatusFile(owner, {
      bytes: Buffer.from(TEXT),
      previous: undefined,
      name: 'com.example/weather',
      now: new Date(Date.now() - 40 * 86_400_000),
    });
    if (!old.ok) throw new Error(old.error);
    await writeFile(join(root, `${STATUS}.sig`), serializeStatusSignature(old.value));
    expect(await codes()).toEqual(['verify/domain-signature-expired']);
  });

  /** A status signature for TEXT dated `hoursAgo` before now, written beside the status file. */
  async function signedHoursAgo(hoursAgo: number): Promise<void> {
    await reset();
    const sig = signStatusFile(owner, {
      bytes: Buffer.from(TEXT),
      previous: undefined,
      name: 'com.example/weather',
      now: new Date(Date.now() - hoursAgo * 3_600_000),
    });
    if (!sig.ok) throw new Error(sig.error);
    await writeFile(join(root, `${STATUS}.sig`), serializeStatusSignature(sig.value));
  }

  it('holds a status signature to the 72 hours of the PR check, not the 30 days of a version', async () => {
    await signedHoursAgo(4 * 24);
    const report = await verify();
    expect(report.files[0].diagnostics).toEqual([
      expect.objectContaining({ code: 'verify/domain-signature-expired', message: expect.stringContaining('older than 72 hours') }),
    ]);
    // The PR check's own rule says the same of it.
    const sig = await readFile(join(root, `${STATUS}.sig`), 'utf8');
    expect(
      statusSignatureProblems({ statusPath: STATUS, baseSignature: undefined, headSignature: sig, baseStatus: undefined, now: new Date() }).map((d) => d.code),
    ).toEqual(['lifecycle/signature-expired']);
  });

  it('accepts a status signature just inside 72 hours', async () => {
    await signedHoursAgo(71);
    expect(await codes()).toEqual([]);
  });

  it('takes a shorter verify.signatureMaxAgeDays for status signatures too', async () => {
    await signedHoursAgo(36);
    await writeFile(join(root, 'registry.config.yaml'), 'verify:\n  signatureMaxAgeDays: 1\n');
    try {
      expect(await codes()).toEqual(['verify/domain-signature-expired']);
    } finally {
      await rm(join(root, 'registry.config.yaml'));
    }
  });

  it('judges no age when re-verifying merged status files (--published)', async () => {
    await signedHoursAgo(4 * 24);
    const published = JSON.parse(
      (await cli(['verify', '--format', 'json', '--no-cache', '--published', '--endpoint', `dns=${dns.endpoint}`, '--', STATUS])).stdout,
    );
    expect(published.ok).toBe(true);
  });

  it('reports a signature by a key the domain does not publish', async () => {
    await reset();
    await writeFile(join(root, 'other.pem'), generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    await cli(['sign', STATUS, '--key-file', 'other.pem']);
    expect(await codes()).toEqual(['verify/domain-key-not-published']);
  });
});
