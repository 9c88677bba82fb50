import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { apiEmitter } from '../../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { logEmitter, logOrigin } from '../../scripts/emit/log-emitter.ts';
import { openCheckpoint, parseVerifierKey } from '../../scripts/translog/note.ts';
import { fixtureRoot, sortedPathDates } from '../fixtures/api/build-fixture.ts';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
// Independent of the writer: RFC 6962 MTH over leaf hashes.
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Uint8Array.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function bundleEntries(b: Uint8Array): string[] {
  const out: string[] = [];
  for (let at = 0; at < b.length; ) {
    const n = (b[at]! << 8) | b[at + 1]!;
    out.push(Buffer.from(b.subarray(at + 2, at + 2 + n)).toString('utf8'));
    at += 2 + n;
  }
  return out;
}
function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

async function build(root: string, out: string, logKey?: string, extra: Record<string, unknown> = {}) {
  const result = await buildRegistry({
    root,
    config: { ...structuredClone(DEFAULT_CONFIG), extra },
    host: 'node',
    out,
    dates: sortedPathDates,
    emitters: [apiEmitter, logEmitter],
    ...(logKey === undefined ? {} : { logKey }),
  });
  if (!result.written) throw new Error('fixture build failed');
  return out;
}

describe('the log emitter', () => {
  it('writes dist/log/ that an independent verifier accepts: every server.json hashed, the root rebuilt, the checkpoint signed', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const root = fixtureRoot();
    const dist = await build(root, join(root, 'dist'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const log = join(dist, 'log');
    const entries = bundleEntries(readFileSync(join(log, 'tile/entries/000.p/10'))).map((e) => JSON.parse(e));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      const [ns, name] = (e.name as string).split('/');
      const bytes = readFileSync(join(root, 'servers', ns!, name!, `${e.version}.json`));
      expect(e.sha256, `${e.name}@${e.version}`).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(typeof e.publishedAt).toBe('string');
    }
    const raw = bundleEntries(readFileSync(join(log, 'tile/entries/000.p/10')));
    const leaves = raw.map((e) => sha(Uint8Array.of(0), Buffer.from(e, 'utf8')));
    const tile = readFileSync(join(log, 'tile/0/000.p/10'));
    expect(Buffer.from(tile)).toEqual(Buffer.concat(leaves));
    const key = parseVerifierKey(readFileSync(join(log, 'key'), 'utf8'));
    if (!key.ok) throw new Error(key.error);
    const opened = openCheckpoint(readFileSync(join(log, 'checkpoint'), 'utf8'), [key.value], logOrigin(DEFAULT_CONFIG.baseUrl));
    if (!opened.ok) throw new Error(opened.error);
    expect(opened.value.checkpoint.size).toBe(leaves.length);
    expect(Buffer.from(opened.value.checkpoint.root)).toEqual(Buffer.from(mth(leaves)));
  });

  it('is byte-identical across builds of one history, and unsigned (no key file) without a key', async () => {
    const root = fixtureRoot();
    const a = filesOf(join(await build(root, join(root, 'a')), 'log'));
    const b = filesOf(join(await build(root, join(root, 'b')), 'log'));
    expect(a).toEqual(b);
    expect(a.has('key')).toBe(false);
    expect(Buffer.from(a.get('checkpoint')!, 'base64').toString('utf8')).toMatch(/^127\.0\.0\.1:4321\/log\n10\n[A-Za-z0-9+/]{43}=\n\n$/);
  });

  it('signs only with a key registry.config.yaml names, when it names any', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const root = fixtureRoot();
    const first = await build(root, join(root, 'a'), pem);
    const vkey = readFileSync(join(first, 'log/key'), 'utf8').trim();
    const named = { transparencyLog: { keys: [vkey] } };
    expect(readFileSync(join(await build(root, join(root, 'b'), pem, named), 'log/key'), 'utf8').trim()).toBe(vkey);
    for (const [extra, message] of [
      [named, /signed with 127\.0\.0\.1:4321\+[0-9a-f]{8}\+\S+, which transparencyLog\.keys in registry\.config\.yaml does not name/],
      [{ transparencyLog: { keys: ['nonsense'] } }, /transparencyLog\.keys must be a list of verifier keys/],
    ] as const) {
      const result = await buildRegistry({
        root,
        config: { ...structuredClone(DEFAULT_CONFIG), extra },
        host: 'node',
        out: join(root, 'c'),
        dates: sortedPathDates,
        emitters: [apiEmitter, logEmitter],
        logKey: other,
      });
      expect(result.written).toBeUndefined();
      const problems = result.report.files.flatMap((f) => f.diagnostics);
      expect(problems.map((d) => d.code)).toContain('build/log-key-not-configured');
      expect(problems.map((d) => d.message).join('\n')).toMatch(message);
      expect(existsSync(join(root, 'c'))).toBe(false);
    }
  });
});
