/**
 * Keys in the official registry's record format: `v=MCPv1; k=ed25519|ecdsap384; p=<base64>`.
 * Ed25519 public keys are the raw 32 bytes; P-384 keys the 49-byte compressed point. Private
 * keys are read as PEM (PKCS#8) or as the hex the official publisher CLI takes (Ed25519 seed
 * or P-384 scalar), so authors who publish officially reuse their key unchanged.
 */
import { ECDH, createECDH, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Result } from '../core/result.ts';

export type KeyAlgorithm = 'ed25519' | 'ecdsap384';
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ed25519', 'ecdsap384'];

export interface PublicKeyInfo {
  algorithm: KeyAlgorithm;
  /** Base64 of the raw public key, as in the record's `p=`. */
  publicKey: string;
  key: KeyObject;
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

/** The record authors publish in DNS or at /.well-known/mcp-registry-auth. */
export function keyRecord(info: Pick<PublicKeyInfo, 'algorithm' | 'publicKey'>): string {
  return `v=MCPv1; k=${info.algorithm}; p=${info.publicKey}`;
}

/** Short form for messages: algorithm and the first characters of the key. */
export function fingerprint(info: Pick<PublicKeyInfo, 'algorithm' | 'publicKey'>): string {
  return `${info.algorithm}:${info.publicKey.slice(0, 8)}`;
}

export function publicKeyFromRaw(algorithm: string, base64: string): Result<PublicKeyInfo> {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length === 0 || raw.toString('base64').replace(/=+$/, '') !== base64.replace(/=+$/, '')) {
    return { ok: false, error: `the key '${base64.slice(0, 16)}…' is not valid base64` };
  }
  if (algorithm === 'ed25519') {
    if (raw.length !== 32) return { ok: false, error: `an ed25519 key has 32 bytes, this one ${raw.length}` };
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    return { ok: true, value: { algorithm, publicKey: raw.toString('base64'), key } };
  }
  if (algorithm === 'ecdsap384') {
    if (raw.length !== 49 || (raw[0] !== 0x02 && raw[0] !== 0x03)) {
      return { ok: false, error: 'an ecdsap384 key is the 49-byte compressed point (first byte 0x02 or 0x03)' };
    }
    try {
      const full = ECDH.convertKey(raw, 'secp384r1', undefined, undefined, 'uncompressed') as Buffer;
      const key = createPublicKey({
        key: { kty: 'EC', crv: 'P-384', x: b64url(full.subarray(1, 49)), y: b64url(full.subarray(49)) },
        format: 'jwk',
      });
      return { ok: true, value: { algorithm, publicKey: raw.toString('base64'), key } };
    } catch {
      return { ok: false, error: 'the ecdsap384 key is not a point on the P-384 curve' };
    }
  }
  return { ok: false, error: `unsupported key algorithm '${algorithm}'; use ed25519 or ecdsap384` };
}

/** The public half of a private key, in record form. */
export function publicKeyOf(privateKey: KeyObject): Result<PublicKeyInfo> {
  const pub = createPublicKey(privateKey);
  if (pub.asymmetricKeyType === 'ed25519') {
    const der = pub.export({ format: 'der', type: 'spki' });
    return { ok: true, value: { algorithm: 'ed25519', publicKey: der.subarray(-32).toString('base64'), key: pub } };
  }
  if (pub.asymmetricKeyType === 'ec' && pub.asymmetricKeyDetails?.namedCurve === 'secp384r1') {
    const jwk = pub.export({ format: 'jwk' });
    if (jwk.x === undefined || jwk.y === undefined) return { ok: false, error: 'the ECDSA P-384 key exported no public point' };
    const x = Buffer.from(jwk.x, 'base64url');
    const y = Buffer.from(jwk.y, 'base64url');
    const prefix = (y.readUInt8(y.length - 1) & 1) === 1 ? 0x03 : 0x02;
    const compressed = Buffer.concat([Buffer.from([prefix]), x]);
    return { ok: true, value: { algorithm: 'ecdsap384', publicKey: compressed.toString('base64'), key: pub } };
  }
  return { ok: false, error: 'the private key is neither Ed25519 nor ECDSA P-384' };
}

/**
 * Reads a private key: PEM (PKCS#8 or SEC1), or hex — 64 digits for an Ed25519 seed, 96 for a
 * P-384 scalar (the form `mcp-publisher login dns --private-key` takes).
 */
export function parsePrivateKey(text: string): Result<KeyObject> {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('-----BEGIN')) return { ok: true, value: createPrivateKey(trimmed) };
    if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
      const der = Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(trimmed, 'hex')]);
      return { ok: true, value: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
    }
    if (/^[0-9a-fA-F]{96}$/.test(trimmed)) {
      const curve = createECDH('secp384r1');
      curve.setPrivateKey(Buffer.from(trimmed, 'hex'));
      const full = curve.getPublicKey();
      return {
        ok: true,
        value: createPrivateKey({
          key: {
            kty: 'EC',
            crv: 'P-384',
            d: b64url(Buffer.from(trimmed, 'hex')),
            x: b64url(full.subarray(1, 49)),
            y: b64url(full.subarray(49)),
          },
          format: 'jwk',
        }),
      };
    }
  } catch (error) {
    return { ok: false, error: `the private key cannot be read: ${(error as Error).message}` };
  }
  return {
    ok: false,
    error: 'the private key must be PEM (-----BEGIN PRIVATE KEY-----) or hex (64 digits for Ed25519, 96 for P-384)',
  };
}
