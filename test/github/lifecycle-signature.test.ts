import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { runPrCheck } from '../../scripts/github/pr-check-run.ts';
import { readPullRequestEvent } from '../../scripts/github/pr-event.ts';
import { createCliRunner } from '../../scripts/github/run-checks.ts';
import { keyRecord, publicKeyOf } from '../../scripts/sign/keys.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';
import { startDnsServer, type StartedDnsServer } from '../helpers/dns-server.ts';
import { startHttpServer, type StartedHttpServer } from '../helpers/http-server.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const owner = generateKeyPairSync('ed25519').privateKey;
const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
const stranger = generateKeyPairSync('ed25519').privateKey;
const STATUS = 'registry/status/com.example/weather.yaml';

function record(key: KeyObject): string {
  const pub = publicKeyOf(key);
  if (!pub.ok) throw new Error(pub.error);
  return keyRecord(pub.value);
}
const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }) as string;
/** RFC 3339 without milliseconds, `hoursAgo` before now (signatures are checked against the real clock). */
const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

let dns: StartedDnsServer;
let web: StartedHttpServer;
let keys: string;
let repo: TestRepo;
let base: string;

beforeAll(async () => {
  dns = await startDnsServer({ txt: { 'example.com': [['v=spf1 -all'], [record(owner)]] } });
  web = await startHttpServer((req, res) => {
    if (req.headers.host === 'web.example.org' && req.url === '/.well-known/mcp-registry-auth') return void res.end(`${record(p384)}\n`);
    res.statusCode = 404;
    res.end();
  });
  keys = mkdtempSync(join(tmpdir(), 'mcp-registry-lifecycle-keys-'));
  writeFileSync(join(keys, 'owner.pem'), pem(owner));
  writeFileSync(join(keys, 'p384.pem'), pem(p384));
  writeFileSync(join(keys, 'stranger.pem'), pem(stranger));
});
afterAll(async () => {
  await dns?.close();
  await web?.close();
  rmSync(keys, { recursive: true, force: true });
});

beforeEach(() => {
  repo = makeRepo();
  repo.write('servers/com.example/weather/1.0.0.json', serverJson('com.example/weather', '1.0.0'));
  repo.write('servers/com.example/weather/1.1.0.json', serverJson('com.example/weather', '1.1.0'));
  repo.write('servers/org.example.web/tool/1.0.0.json', serverJson('org.example.web/tool', '1.0.0'));
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
});
afterEach(() => repo.cleanup());

async function lifecycle(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(args, {
    stdout: () => {},
    stderr: (t) => {
      stderr += t;
    },
    cwd: repo.dir,
    env: {},
  });
  return { code, stderr };
}

async function deprecate(name: string, key: string | undefined, now = at(0), version = '1.0.0') {
  const r = await lifecycle(['deprecate', name, '--version', version, '--message', 'Use 1.1.0', '--now', now, ...(key ? ['--key-file', join(keys, key)] : [])]);
  expect(r.code).toBe(0);
}

function check(head: string, over: { verify?: boolean } = {}) {
  const parsed = readPullRequestEvent(payload);
  if (!parsed.ok) throw new Error(parsed.error);
  return runPrCheck({
    repo: repo.dir,
    base,
    head,
    event: { ...parsed.value, baseSha: base, headSha: head },
    maintainer: async () => ({ maintainer: false }),
    verify: over.verify ?? true,
    endpoints: [`dns=${dns.endpoint}`, `http=${web.origin}`],
    maxFiles: 100,
    runCli: createCliRunner(),
  });
}

describe('a domain owner’s lifecycle change, signed with the domain’s key', () => {
  it('is merged by the bot when the signature verifies with the key in DNS', async () => {
    await deprecate('com.example/weather', 'owner.pem');
    const result = await check(repo.commit('deprecate 1.0.0'));
    expect(result.files.map((f) => f.path)).toEqual([STATUS, `${STATUS}.sig`]);
    for (const f of result.files) expect(f).toMatchObject({ kind: 'lifecycle', checks: { validate: 'passed', verify: 'passed', ownership: 'passed' } });
    expect(result).toMatchObject({ ok: true, autoMerge: true, reviewReasons: [] });
    expect(result.labels).not.toContain('needs-review');
  }, 30_000);

  it('is merged when an ECDSA P-384 key is published at the domain’s well-known URL', async () => {
    await deprecate('org.example.web/tool', 'p384.pem');
    const result = await check(repo.commit('deprecate'));
    expect(result).toMatchObject({ ok: true, autoMerge: true });
  }, 30_000);

  it('goes to a human, naming the missing signature, when the change is unsigned', async () => {
    await deprecate('com.example/weather', undefined);
    const result = await check(repo.commit('deprecate unsigned'));
    expect(result).toMatchObject({ ok: true, autoMerge: false });
    expect(result.labels).toContain('needs-review');
    expect(result.files[0]!.checks).toMatchObject({ validate: 'passed', verify: 'failed', ownership: 'pending' });
    expect(result.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'verify/domain-signature-missing', severity: 'warning' })]);
    expect(result.reviewReasons.join('\n')).toMatch(
      /registry\/status\/com\.example\/weather\.yaml is not proven by its domain's key \(verify\/domain-signature-missing\)/,
    );
  }, 30_000);

  it('goes to a human when signed with a key the domain does not publish', async () => {
    await deprecate('com.example/weather', 'stranger.pem');
    const result = await check(repo.commit('deprecate with another key'));
    expect(result).toMatchObject({ ok: true, autoMerge: false });
    expect(result.reviewReasons.join('\n')).toMatch(/verify\/domain-key-not-published/);
  }, 30_000);

  it('goes to a human when the status file was edited after signing', async () => {
    await deprecate('com.example/weather', 'owner.pem');
    repo.write(STATUS, readFileSync(join(repo.dir, STATUS), 'utf8').replace('Use 1.1.0', 'Use 2.0.0'));
    const result = await check(repo.commit('edit after signing'));
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons.join('\n')).toMatch(/verify\/domain-signature-bytes-mismatch/);
  }, 30_000);

  it('fails a PR that brings back an older signed state from the history', async () => {
    await deprecate('com.example/weather', 'owner.pem', at(3));
    const oldStatus = readFileSync(join(repo.dir, STATUS), 'utf8');
    const oldSig = readFileSync(join(repo.dir, `${STATUS}.sig`), 'utf8');
    expect((await lifecycle(['restore', 'com.example/weather', '--version', '1.0.0', '--now', at(2), '--key-file', join(keys, 'owner.pem')])).code).toBe(0);
    base = repo.commit('deprecated, then restored by the owner');
    repo.write(STATUS, oldStatus);
    repo.write(`${STATUS}.sig`, oldSig);
    const result = await check(repo.commit('replay the deprecation'));
    expect(result).toMatchObject({ ok: false, autoMerge: false });
    expect(result.files[0]!.diagnostics.map((d) => d.code)).toContain('lifecycle/signature-replayed');
  }, 30_000);

  it('waits for the maintainer’s label on a fork PR instead of proving anything', async () => {
    await deprecate('com.example/weather', 'owner.pem');
    const result = await check(repo.commit('deprecate'), { verify: false });
    expect(result.files[0]!.checks).toMatchObject({ verify: 'pending', ownership: 'pending' });
    expect(result.autoMerge).toBe(false);
  }, 30_000);
});

describe('a replayed status signature (a stranger’s fork PR, after a maintainer added safe-to-verify)', () => {
  const read = (p: string) => readFileSync(join(repo.dir, p), 'utf8');

  it('is refused when it was made for a state the base branch has moved on from', async () => {
    await deprecate('com.example/weather', 'owner.pem', at(5));
    repo.commit('the owner deprecates 1.0.0');
    const signedState = read(STATUS);
    const signedSig = read(`${STATUS}.sig`);
    // The owner signs a deletion and opens a PR that is never merged.
    expect((await lifecycle(['delete', 'com.example/weather', '--message', 'Retired', '--now', at(4), '--key-file', join(keys, 'owner.pem')])).code).toBe(0);
    const abandoned = { status: read(STATUS), sig: read(`${STATUS}.sig`) };
    repo.write(STATUS, signedState);
    repo.write(`${STATUS}.sig`, signedSig);
    // Someone without the key changes the file later (a maintainer's edit, or a sync): the owner's old signature
    // stays behind, dated before the abandoned one, so only the binding tells the replay apart.
    expect((await lifecycle(['deprecate', 'com.example/weather', '--version', '1.1.0', '--message', 'Under review (#9)', '--now', at(1)])).code).toBe(0);
    base = repo.commit('a maintainer deprecates 1.1.0');
    repo.write(STATUS, abandoned.status);
    repo.write(`${STATUS}.sig`, abandoned.sig);
    const result = await check(repo.commit('replay the abandoned deletion'));
    expect(result).toMatchObject({ ok: false, autoMerge: false });
    const codes = result.files[0]!.diagnostics.map((d) => d.code);
    expect(codes).toContain('lifecycle/signature-base-mismatch');
    expect(codes).not.toContain('lifecycle/signature-replayed');
    expect(result.files[0]!.diagnostics.find((d) => d.code === 'lifecycle/signature-base-mismatch')!.message).toMatch(
      /was made to replace the status file with SHA-256 [0-9a-f]{12}…, but the base branch has the status file with SHA-256 [0-9a-f]{12}…/,
    );
  }, 30_000);

  it('is refused when it is older than 72 hours, though made for the very state on the base', async () => {
    await deprecate('com.example/weather', 'owner.pem', at(100));
    base = repo.commit('the owner deprecates 1.0.0');
    await deprecate('com.example/weather', 'owner.pem', at(80), '1.1.0');
    const result = await check(repo.commit('replay a deprecation of 1.1.0 signed 80 hours ago'));
    expect(result).toMatchObject({ ok: false, autoMerge: false });
    // verify holds status signatures to the same 72 hours, so it says so too.
    expect(result.files[0]!.diagnostics.map((d) => d.code)).toEqual(['lifecycle/signature-expired', 'verify/domain-signature-expired']);
  }, 30_000);

  it('is merged when it is the owner’s fresh change of the base’s state', async () => {
    await deprecate('com.example/weather', 'owner.pem', at(100));
    base = repo.commit('the owner deprecates 1.0.0');
    await deprecate('com.example/weather', 'owner.pem', at(1), '1.1.0');
    expect(await check(repo.commit('deprecate 1.1.0'))).toMatchObject({ ok: true, autoMerge: true });
  }, 30_000);

  it('goes to a human when it is in the old, unbound format', async () => {
    await deprecate('com.example/weather', undefined);
    const bytes = readFileSync(join(repo.dir, STATUS));
    const fields = { name: 'com.example/weather', signedAt: at(0), sha256: createHash('sha256').update(bytes).digest('hex') };
    const message = Buffer.from(['mcp-registry-status-signature/v1', fields.name, fields.signedAt, fields.sha256].join('\n'));
    const pub = publicKeyOf(owner);
    if (!pub.ok) throw new Error(pub.error);
    const v1 = {
      format: 'mcp-registry-status-signature/v1',
      algorithm: 'ed25519',
      publicKey: pub.value.publicKey,
      ...fields,
      signature: sign(null, message, owner).toString('hex'),
    };
    repo.write(`${STATUS}.sig`, `${JSON.stringify(v1, null, 2)}\n`);
    const result = await check(repo.commit('an unbound signature'));
    expect(result).toMatchObject({ ok: true, autoMerge: false });
    expect(result.reviewReasons.join('\n')).toMatch(/not proven by its domain's key \(verify\/domain-signature-invalid\)/);
    expect(result.files[0]!.diagnostics[0]!.message).toMatch(/does not name the state it replaces/);
  }, 30_000);
});
