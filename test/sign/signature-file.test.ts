import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyRecord, parsePrivateKey, publicKeyFromRaw, publicKeyOf } from '../../scripts/sign/keys.ts';
import { parseSignatureFile, serializeSignatureFile, signVersionFile, signatureMatchesKey } from '../../scripts/sign/signature-file.ts';

const bytes = Buffer.from('{"name":"com.example/weather","version":"1.0.0"}\n');
const now = new Date('2026-11-24T10:00:00Z');

function roundTrip(privateKey: Parameters<typeof signVersionFile>[0]) {
  const signed = signVersionFile(privateKey, { bytes, name: 'com.example/weather', version: '1.0.0', now });
  if (!signed.ok) throw new Error(signed.error);
  const parsed = parseSignatureFile(serializeSignatureFile(signed.value));
  if (!parsed.ok) throw new Error(parsed.error);
  const key = publicKeyFromRaw(parsed.value.algorithm, parsed.value.publicKey);
  if (!key.ok) throw new Error(key.error);
  return { sig: parsed.value, key: key.value };
}

describe('signature files', () => {
  it('verifies an Ed25519 signature with the key from its record', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const { sig, key } = roundTrip(privateKey);
    expect(sig.algorithm).toBe('ed25519');
    expect(signatureMatchesKey(sig, key)).toBe(true);
  });

  it('verifies an ECDSA P-384 signature with the compressed key from its record', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const { sig, key } = roundTrip(privateKey);
    expect(Buffer.from(sig.publicKey, 'base64')).toHaveLength(49);
    expect(Buffer.from(sig.signature, 'hex')).toHaveLength(96);
    expect(signatureMatchesKey(sig, key)).toBe(true);
  });

  it('rejects a signature whose signed fields were edited', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const { sig, key } = roundTrip(privateKey);
    expect(signatureMatchesKey({ ...sig, version: '2.0.0' }, key)).toBe(false);
  });

  it('rejects a signature checked against another key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const other = publicKeyOf(generateKeyPairSync('ed25519').privateKey);
    const { sig } = roundTrip(privateKey);
    expect(other.ok && signatureMatchesKey(sig, other.value)).toBe(false);
  });

  it('reads an Ed25519 private key given as the hex seed the official publisher takes', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('hex');
    const parsed = parsePrivateKey(seed);
    const a = parsed.ok ? publicKeyOf(parsed.value) : undefined;
    const b = publicKeyOf(privateKey);
    expect(a?.ok && b.ok && a.value.publicKey === b.value.publicKey).toBe(true);
  });

  it('reads a P-384 private key given as a hex scalar', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url').toString('hex');
    const parsed = parsePrivateKey(d);
    const a = parsed.ok ? publicKeyOf(parsed.value) : undefined;
    const b = publicKeyOf(privateKey);
    expect(a?.ok && b.ok && a.value.publicKey === b.value.publicKey).toBe(true);
  });

  it('writes the record in the official format', () => {
    expect(keyRecord({ algorithm: 'ed25519', publicKey: 'AAAA' })).toBe('v=MCPv1; k=ed25519; p=AAAA');
  });

  it('explains a signature file that is not JSON', () => {
    const parsed = parseSignatureFile('not json');
    expect(!parsed.ok && parsed.error).toMatch(/mcp-registry sign/);
  });
});
