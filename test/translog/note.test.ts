import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafHash } from '../../scripts/translog/merkle.ts';
import { checkpointBody, openCheckpoint, parseVerifierKey, signCheckpoint, verifierKeyString } from '../../scripts/translog/note.ts';

function keyPair() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), key: privateKey };
}

const checkpoint = { origin: 'registry.example.org/log', size: 42, root: leafHash(Uint8Array.of(1)) };

describe('checkpoint signed notes', () => {
  it('has the C2SP body: origin, decimal size, base64 root, each on its own line', () => {
    expect(checkpointBody(checkpoint)).toBe(`registry.example.org/log\n42\n${Buffer.from(checkpoint.root).toString('base64')}\n`);
  });

  it('signs deterministically and opens with the matching verifier key', () => {
    const { pem, key } = keyPair();
    const vkey = verifierKeyString('registry.example.org', key);
    if (!vkey.ok) throw new Error(vkey.error);
    expect(vkey.value).toMatch(/^registry\.example\.org\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const note = signCheckpoint(checkpoint, 'registry.example.org', pem);
    if (!note.ok) throw new Error(note.error);
    expect(signCheckpoint(checkpoint, 'registry.example.org', pem)).toEqual(note);
    expect(note.value).toMatch(/\n\n\u2014 registry\.example\.org [A-Za-z0-9+/]+=*\n$/);
    const parsed = parseVerifierKey(vkey.value);
    if (!parsed.ok) throw new Error(parsed.error);
    const opened = openCheckpoint(note.value, [parsed.value], 'registry.example.org/log');
    expect(opened).toEqual({ ok: true, value: { checkpoint, signedBy: ['registry.example.org'] } });
  });

  it('refuses a changed size, root or origin, a signature by another key, and a wrong key hash', () => {
    const { pem, key } = keyPair();
    const note = signCheckpoint(checkpoint, 'reg', pem);
    if (!note.ok) throw new Error(note.error);
    const vk = parseVerifierKey((verifierKeyString('reg', key) as { value: string }).value);
    if (!vk.ok) throw new Error(vk.error);
    expect(openCheckpoint(note.value.replace('\n42\n', '\n43\n'), [vk.value]).ok).toBe(false);
    const otherRoot = Buffer.from(leafHash(Uint8Array.of(2))).toString('base64');
    expect(openCheckpoint(note.value.replace(Buffer.from(checkpoint.root).toString('base64'), otherRoot), [vk.value]).ok).toBe(false);
    expect(openCheckpoint(note.value, [vk.value], 'elsewhere/log')).toEqual({
      ok: false,
      error: 'the checkpoint is for origin "registry.example.org/log", not "elsewhere/log"',
    });
    const other = keyPair();
    const otherNote = signCheckpoint(checkpoint, 'reg', other.pem);
    if (!otherNote.ok) throw new Error(otherNote.error);
    expect(openCheckpoint(otherNote.value, [vk.value]).ok).toBe(false);
    const vkText = (verifierKeyString('reg', key) as { value: string }).value;
    const [, hash] = vkText.split('+') as [string, string, string];
    const wrongHash = vkText.replace(hash, hash === '00000000' ? '00000001' : '00000000');
    expect(parseVerifierKey(wrongHash)).toEqual({ ok: false, error: expect.stringContaining('does not match') });
  });

  it("accepts Go's checksum database key: the key hash is computed as signed-note says", () => {
    const sumdb = parseVerifierKey('sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8');
    expect(sumdb.ok && sumdb.value.keyHash).toBe('033de0ae');
  });

  it('opens an unsigned checkpoint only when no key is pinned', () => {
    const unsigned = `${checkpointBody(checkpoint)}\n`;
    expect(openCheckpoint(unsigned, []).ok).toBe(true);
    const { key } = keyPair();
    const vk = parseVerifierKey((verifierKeyString('reg', key) as { value: string }).value);
    if (!vk.ok) throw new Error(vk.error);
    expect(openCheckpoint(unsigned, [vk.value]).ok).toBe(false);
  });

  it('refuses malformed bodies', () => {
    expect(openCheckpoint('origin\n12x\nAAAA\n\n', []).ok).toBe(false);
    expect(openCheckpoint('origin\n1\nAAAA\n\n', []).ok).toBe(false);
    expect(openCheckpoint('no blank line', []).ok).toBe(false);
  });

  it('refuses a non-Ed25519 key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(verifierKeyString('reg', privateKey).ok).toBe(false);
  });
});
