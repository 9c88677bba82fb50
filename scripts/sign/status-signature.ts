/**
 * The signature beside a lifecycle status file: `registry/status/<ns>/<name>.yaml.sig`, JSON, made with
 * the same keys as version-file signatures. It proves a domain's key holder changed this server's status
 * file from one exact state to another, at this time. The signed message is
 *   `mcp-registry-status-signature/v2\n<name>\n<signedAt>\n<previousSha256>\n<sha256>`
 * where `previousSha256` is the hex SHA-256 of the status file the change replaces, or `absent` when there was
 * none: a signature made for one state cannot be replayed onto another. Its own first line keeps a version
 * file's signature from standing in for a status change, and back. The v1 format signed no previous state;
 * it is read only to tell its author to sign again.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyOf } from './keys.ts';
import type { Result } from '../core/result.ts';
import type { KeyAlgorithm, PublicKeyInfo } from './keys.ts';
import { SIGNATURE_FORMAT, messageSignedBy, sha256Hex, signMessage, signatureFieldsProblem } from './signature-file.ts';

export const STATUS_SIGNATURE_FORMAT = 'mcp-registry-status-signature/v2';
/** Unbound: it names no previous state, so it could be replayed onto any. */
export const UNBOUND_STATUS_SIGNATURE_FORMAT = 'mcp-registry-status-signature/v1';
/** `previousSha256` of a change that creates the status file. */
export const NO_PREVIOUS_STATE = 'absent';

/**
 * How long a status signature speaks for its change: 72 hours. A fork's PR waits for a maintainer's
 * `safe-to-verify` label before its signature is checked, and a weekend must not expire it; longer only
 * widens the window in which a change its owner signed but never merged can be replayed. The PR check
 * (lifecycle/signature-replay.ts) and `verify` both hold status signatures to it.
 */
export const STATUS_SIGNATURE_TTL_MS = 72 * 3_600_000;

export interface StatusSignatureFile {
  format: typeof STATUS_SIGNATURE_FORMAT;
  algorithm: KeyAlgorithm;
  /** Base64, as in the key record's `p=`. */
  publicKey: string;
  /** The server whose status file was signed (`namespace/name`). */
  name: string;
  /** Hex SHA-256 of the status file this change replaces, or `absent`. */
  previousSha256: string;
  /** Hex SHA-256 of the status file's exact bytes. */
  sha256: string;
  /** RFC 3339, UTC. */
  signedAt: string;
  signature: string;
}

/** The bytes of the status file a change replaces (undefined: there was none) → `previousSha256`. */
export function previousStateHash(previous: Uint8Array | undefined): string {
  return previous === undefined ? NO_PREVIOUS_STATE : sha256Hex(previous);
}

export function statusSignedMessage(sig: Pick<StatusSignatureFile, 'name' | 'signedAt' | 'previousSha256' | 'sha256'>): Buffer {
  return Buffer.from([STATUS_SIGNATURE_FORMAT, sig.name, sig.signedAt, sig.previousSha256, sig.sha256].join('\n'), 'utf8');
}

export interface StatusSignInput {
  bytes: Uint8Array;
  /** The status file the change replaces; undefined when it creates the file. */
  previous: Uint8Array | undefined;
  name: string;
  now: Date;
}

export function signStatusFile(privateKey: KeyObject, input: StatusSignInput): Result<StatusSignatureFile> {
  const pub = publicKeyOf(privateKey);
  if (!pub.ok) return pub;
  const fields = {
    name: input.name,
    previousSha256: previousStateHash(input.previous),
    sha256: sha256Hex(input.bytes),
    signedAt: input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
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
    previousSha256: sig.previousSha256,
    sha256: sig.sha256,
    signedAt: sig.signedAt,
    signature: sig.signature,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export type ParsedStatusSignature = Result<StatusSignatureFile> & { versionSignature?: boolean; unbound?: boolean };

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
  if (typeof raw === 'object' && raw !== null && r.format === UNBOUND_STATUS_SIGNATURE_FORMAT) {
    return {
      ok: false,
      unbound: true,
      error: `this signature (${UNBOUND_STATUS_SIGNATURE_FORMAT}) does not name the state it replaces, so anyone could replay it onto another state; ${again} (it now binds the change to the base branch's status file)`,
    };
  }
  const problem = signatureFieldsProblem(raw, STATUS_SIGNATURE_FORMAT, ['previousSha256'], again);
  if (problem !== undefined) return { ok: false, error: problem };
  if (r.previousSha256 !== NO_PREVIOUS_STATE && !/^[0-9a-f]{64}$/.test(r.previousSha256 as string)) {
    return { ok: false, error: `'previousSha256' must be lower-case hex or '${NO_PREVIOUS_STATE}'; ${again}` };
  }
  return { ok: true, value: raw as StatusSignatureFile };
}

export function statusSignatureMatchesKey(sig: StatusSignatureFile, key: PublicKeyInfo): boolean {
  return messageSignedBy(sig, statusSignedMessage(sig), key);
}
