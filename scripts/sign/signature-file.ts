/**
 * The signature file committed beside a version file: `<version>.json.sig`, JSON.
 * It proves possession of a domain's key for exactly these bytes, this name and version, at
 * this time. The signed message is
 *   `mcp-registry-signature/v1\n<name>\n<version>\n<signedAt>\n<sha256 hex of the file bytes>`
 * Ed25519 signs it directly; ECDSA P-384 signs its SHA-384 with r‖s (96 bytes), as the official
 * registry does. The signature is hex.
 */
import { createHash, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { KEY_ALGORITHMS, publicKeyOf } from './keys.ts';
import type { Result } from '../core/result.ts';
import type { KeyAlgorithm, PublicKeyInfo } from './keys.ts';

export const SIGNATURE_FORMAT = 'mcp-registry-signature/v1';
export const SIGNATURE_SUFFIX = '.sig';

export interface SignatureFile {
  format: typeof SIGNATURE_FORMAT;
  algorithm: KeyAlgorithm;
  /** Base64, as in the key record's `p=`. */
  publicKey: string;
  name: string;
  version: string;
  /** Hex SHA-256 of the version file's exact bytes. */
  sha256: string;
  /** RFC 3339, UTC. */
  signedAt: string;
  signature: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function signedMessage(sig: Pick<SignatureFile, 'name' | 'version' | 'signedAt' | 'sha256'>): Buffer {
  return Buffer.from([SIGNATURE_FORMAT, sig.name, sig.version, sig.signedAt, sig.sha256].join('\n'), 'utf8');
}

export function algorithmParams(algorithm: KeyAlgorithm): { digest: string | null; dsaEncoding?: 'ieee-p1363' } {
  return algorithm === 'ed25519' ? { digest: null } : { digest: 'sha384', dsaEncoding: 'ieee-p1363' };
}

export interface SignInput {
  bytes: Uint8Array;
  name: string;
  version: string;
  now: Date;
}

export function signVersionFile(privateKey: KeyObject, input: SignInput): Result<SignatureFile> {
  const pub = publicKeyOf(privateKey);
  if (!pub.ok) return pub;
  const fields = {
    name: input.name,
    version: input.version,
    sha256: sha256Hex(input.bytes),
    signedAt: input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const { digest, dsaEncoding } = algorithmParams(pub.value.algorithm);
  const signature = cryptoSign(digest, signedMessage(fields), dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey);
  return {
    ok: true,
    value: {
      format: SIGNATURE_FORMAT,
      algorithm: pub.value.algorithm,
      publicKey: pub.value.publicKey,
      ...fields,
      signature: signature.toString('hex'),
    },
  };
}

/** Stable, readable serialisation (fixed key order, trailing newline). */
export function serializeSignatureFile(sig: SignatureFile): string {
  const ordered: SignatureFile = {
    format: sig.format,
    algorithm: sig.algorithm,
    publicKey: sig.publicKey,
    name: sig.name,
    version: sig.version,
    sha256: sig.sha256,
    signedAt: sig.signedAt,
    signature: sig.signature,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export function parseSignatureFile(text: string): Result<SignatureFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the signature file is not JSON; create it again with `mcp-registry sign`' };
  }
  const problem = signatureFieldsProblem(raw, SIGNATURE_FORMAT, ['version'], 'create it again with `mcp-registry sign`');
  return problem === undefined ? { ok: true, value: raw as SignatureFile } : { ok: false, error: problem };
}

/**
 * What is wrong with a parsed signature file of `format` (version and status signatures share every field but
 * `extraFields`), or undefined when its fields are well-formed.
 */
export function signatureFieldsProblem(raw: unknown, format: string, extraFields: readonly string[], again: string): string | undefined {
  const r = raw as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || r.format !== format) {
    return `the signature file's format is not '${format}'; ${again}`;
  }
  for (const field of ['algorithm', 'publicKey', 'name', ...extraFields, 'sha256', 'signedAt', 'signature']) {
    if (typeof r[field] !== 'string') return `the signature file has no '${field}' string`;
  }
  if (!KEY_ALGORITHMS.includes(r.algorithm as KeyAlgorithm)) {
    return `unsupported algorithm '${String(r.algorithm)}'; use ed25519 or ecdsap384`;
  }
  if (!/^[0-9a-f]+$/.test(r.signature as string) || !/^[0-9a-f]{64}$/.test(r.sha256 as string)) {
    return 'the signature and sha256 must be lower-case hex';
  }
  if (Number.isNaN(Date.parse(r.signedAt as string))) return "'signedAt' is not an RFC 3339 time";
  return undefined;
}

/** True when `sig.signature` is a valid signature by `key` over the fields of `sig` (not yet checked against a file). */
export function signatureMatchesKey(sig: SignatureFile, key: PublicKeyInfo): boolean {
  return messageSignedBy(sig, signedMessage(sig), key);
}

/** True when `sig.signature` (hex) is `key`'s signature over `message`, in this format's encoding. */
export function messageSignedBy(sig: { algorithm: KeyAlgorithm; signature: string }, message: Buffer, key: PublicKeyInfo): boolean {
  if (key.algorithm !== sig.algorithm) return false;
  const signature = Buffer.from(sig.signature, 'hex');
  if (sig.algorithm === 'ed25519' && signature.length !== 64) return false;
  if (sig.algorithm === 'ecdsap384' && signature.length !== 96) return false;
  const { digest, dsaEncoding } = algorithmParams(sig.algorithm);
  try {
    return cryptoVerify(digest, message, dsaEncoding ? { key: key.key, dsaEncoding } : key.key, signature);
  } catch {
    return false;
  }
}

/** Signs `message` with `privateKey` in this format's encoding (hex; P-384 as r‖s over SHA-384). */
export function signMessage(privateKey: KeyObject, algorithm: KeyAlgorithm, message: Buffer): string {
  const { digest, dsaEncoding } = algorithmParams(algorithm);
  return cryptoSign(digest, message, dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey).toString('hex');
}
