/**
 * The signature beside a lifecycle status file: `registry/status/<ns>/<name>.yaml.sig`, JSON, made with
 * the same keys as version-file signatures. It proves a domain's key holder wrote exactly these status
 * bytes for this server at this time. The signed message is
 *   `mcp-registry-status-signature/v1\n<name>\n<signedAt>\n<sha256 hex of the status file bytes>`
 * Its own first line keeps a version file's signature from standing in for a status change, and back.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyOf } from './keys.ts';
import type { KeyAlgorithm, KeyResult, PublicKeyInfo } from './keys.ts';
import { SIGNATURE_FORMAT, messageSignedBy, sha256Hex, signMessage, signatureFieldsProblem } from './signature-file.ts';

export const STATUS_SIGNATURE_FORMAT = 'mcp-registry-status-signature/v1';

export interface StatusSignatureFile {
  format: typeof STATUS_SIGNATURE_FORMAT;
  algorithm: KeyAlgorithm;
  /** Base64, as in the key record's `p=`. */
  publicKey: string;
  /** The server whose status file was signed (`namespace/name`). */
  name: string;
  /** Hex SHA-256 of the status file's exact bytes. */
  sha256: string;
  /** RFC 3339, UTC. */
  signedAt: string;
  signature: string;
}

export function statusSignedMessage(sig: Pick<StatusSignatureFile, 'name' | 'signedAt' | 'sha256'>): Buffer {
  return Buffer.from([STATUS_SIGNATURE_FORMAT, sig.name, sig.signedAt, sig.sha256].join('\n'), 'utf8');
}

export function signStatusFile(privateKey: KeyObject, input: { bytes: Uint8Array; name: string; now: Date }): KeyResult<StatusSignatureFile> {
  const pub = publicKeyOf(privateKey);
  if (!pub.ok) return pub;
  const fields = { name: input.name, sha256: sha256Hex(input.bytes), signedAt: input.now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  return {
    ok: true,
    value: {
      format: STATUS_SIGNATURE_FORMAT,
      algorithm: pub.value.algorithm,
      publicKey: pub.value.publicKey,
      ...fields,
      signature: signMessage(privateKey, pub.value.algorithm, statusSignedMessage(fields)),
    },
  };
}

/** Stable, readable serialisation (fixed key order, trailing newline). */
export function serializeStatusSignature(sig: StatusSignatureFile): string {
  const ordered: StatusSignatureFile = {
    format: sig.format,
    algorithm: sig.algorithm,
    publicKey: sig.publicKey,
    name: sig.name,
    sha256: sig.sha256,
    signedAt: sig.signedAt,
    signature: sig.signature,
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

export type ParsedStatusSignature = KeyResult<StatusSignatureFile> & { versionSignature?: boolean };

export function parseStatusSignature(text: string, statusPath: string): ParsedStatusSignature {
  const again = `create it again with \`mcp-registry sign ${statusPath}\``;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: `the signature file is not JSON; ${again}` };
  }
  const r = raw as Record<string, unknown>;
  if (typeof raw === 'object' && raw !== null && r.format === SIGNATURE_FORMAT) {
    return { ok: false, versionSignature: true, error: `this is a version file's signature (${SIGNATURE_FORMAT}), not a status file's; ${again}` };
  }
  const problem = signatureFieldsProblem(raw, STATUS_SIGNATURE_FORMAT, [], again);
  return problem === undefined ? { ok: true, value: raw as StatusSignatureFile } : { ok: false, error: problem };
}

export function statusSignatureMatchesKey(sig: StatusSignatureFile, key: PublicKeyInfo): boolean {
  return messageSignedBy(sig, statusSignedMessage(sig), key);
}
