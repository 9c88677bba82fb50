/**
 * Checkpoints as C2SP signed notes: the body is `<origin>\n<tree size>\n<base64 root>\n`; a blank
 * line; then one line per signature, `— <key name> <base64(4-byte key hash ‖ Ed25519 signature)>`.
 * The verifier key is `<name>+<8 hex key hash>+<base64(0x01 ‖ 32-byte public key)>`, the key hash
 * the first four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). Pure: keys are passed in.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Result } from '../core/result.ts';
import { err, ok } from '../core/result.ts';
import type { Hash } from './merkle.ts';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
}

export interface VerifierKey {
  name: string;
  /** The 4-byte key hash, as 8 lower-case hex digits. */
  keyHash: string;
  key: KeyObject;
}

const ED25519 = 0x01;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIG_PREFIX = '\u2014 ';

function validKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

function keyHashOf(name: string, raw: Uint8Array): Buffer {
  return createHash('sha256').update(name, 'utf8').update(Uint8Array.of(0x0a, ED25519)).update(raw).digest().subarray(0, 4);
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ type: 'spki', format: 'der' })).subarray(ED25519_SPKI_PREFIX.length);
}

/** The body of a checkpoint, each line ending in a newline. */
export function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${Buffer.from(c.root).toString('base64')}\n`;
}

/** The vkey line for an Ed25519 key (private or public) under `name`. */
export function verifierKeyString(name: string, key: KeyObject): Result<string> {
  if (!validKeyName(name)) return err(`key name "${name}" must be non-empty, without spaces or "+"`);
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') return err(`the log key must be Ed25519, not ${pub.asymmetricKeyType}`);
  const raw = rawPublicKey(pub);
  const encoded = Buffer.concat([Uint8Array.of(ED25519), raw]).toString('base64');
  return ok(`${name}+${keyHashOf(name, raw).toString('hex')}+${encoded}`);
}

export function parseVerifierKey(text: string): Result<VerifierKey> {
  // The base64 key may itself contain "+": only the first two separate fields.
  const t = text.trim();
  const a = t.indexOf('+');
  const b = a < 0 ? -1 : t.indexOf('+', a + 1);
  if (b < 0) return err('a verifier key is <name>+<8 hex digits>+<base64 key>');
  const [name, hash, b64] = [t.slice(0, a), t.slice(a + 1, b), t.slice(b + 1)];
  if (!validKeyName(name)) return err(`verifier key name "${name}" is empty or has spaces`);
  if (!/^[0-9a-f]{8}$/.test(hash)) return err(`verifier key hash "${hash}" is not 8 lower-case hex digits`);
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.toString('base64') !== b64 || bytes.length !== 33 || bytes[0] !== ED25519) {
    return err('the verifier key is not base64 of 0x01 followed by a 32-byte Ed25519 public key');
  }
  const raw = bytes.subarray(1);
  if (keyHashOf(name, raw).toString('hex') !== hash) return err(`verifier key hash ${hash} does not match its name and key`);
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return ok({ name, keyHash: hash, key });
}

/** The private-key PEM blocks in a text, in order (a key being rotated in sits beside the old one). */
export function privateKeyBlocks(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g)].map((m) => `${m[0]}\n`);
}

/** A signed checkpoint note. Ed25519 is deterministic, so the same inputs give the same bytes. */
export function signCheckpoint(c: Checkpoint, name: string, privateKeyPem: string): Result<string> {
  return signCheckpointWith(c, name, [privateKeyPem]);
}

/** A checkpoint note with one signature line per key, in the order given. */
export function signCheckpointWith(c: Checkpoint, name: string, privateKeyPems: readonly string[]): Result<string> {
  const body = checkpointBody(c);
  const lines: string[] = [];
  for (const pem of privateKeyPems) {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (e) {
      return err(`the log key is not a PEM private key: ${(e as Error).message}`);
    }
    const vkey = verifierKeyString(name, key);
    if (!vkey.ok) return vkey;
    const raw = rawPublicKey(createPublicKey(key));
    const signature = sign(null, Buffer.from(body, 'utf8'), key);
    lines.push(`${SIG_PREFIX}${name} ${Buffer.concat([keyHashOf(name, raw), signature]).toString('base64')}\n`);
  }
  if (lines.length === 0) return err('no private key to sign the checkpoint with');
  return ok(`${body}\n${lines.join('')}`);
}

/** The checkpoint of a note's body, without checking any signature. */
export function parseCheckpointBody(body: string): Result<Checkpoint & { extensions: string[] }> {
  if (!body.endsWith('\n')) return err('the checkpoint body does not end with a newline');
  const lines = body.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === undefined || origin === '') return err('the checkpoint has no origin line');
  if (sizeText === undefined || !/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    return err(`the checkpoint tree size "${sizeText ?? ''}" is not a decimal number`);
  }
  const root = Buffer.from(rootText ?? '', 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText) return err('the checkpoint root is not base64 of 32 bytes');
  return ok({ origin, size: Number(sizeText), root: new Uint8Array(root), extensions });
}

export interface OpenedNote {
  checkpoint: Checkpoint;
  /** Names of the keys whose signatures verified. */
  signedBy: string[];
}

/**
 * Opens a checkpoint note: parses it and checks the signature of each key given. With no keys,
 * nothing is checked (an unsigned checkpoint); with keys, at least one must have signed it.
 */
export function openCheckpoint(note: string, keys: readonly VerifierKey[], expectedOrigin?: string): Result<OpenedNote> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return err('the checkpoint has no blank line before its signatures');
  const body = note.slice(0, split + 1);
  const sigLines = note.slice(split + 2);
  const parsed = parseCheckpointBody(body);
  if (!parsed.ok) return parsed;
  const { origin, size, root } = parsed.value;
  if (expectedOrigin !== undefined && origin !== expectedOrigin) {
    return err(`the checkpoint is for origin "${origin}", not "${expectedOrigin}"`);
  }
  if (sigLines !== '' && !sigLines.endsWith('\n')) return err('the checkpoint signature lines do not end with a newline');
  const signedBy: string[] = [];
  for (const line of sigLines.split('\n').filter((l) => l !== '')) {
    if (!line.startsWith(SIG_PREFIX)) return err(`checkpoint signature line "${line}" does not start with "— "`);
    const [name, blob, ...rest] = line.slice(SIG_PREFIX.length).split(' ');
    if (name === undefined || blob === undefined || rest.length > 0) return err(`checkpoint signature line "${line}" is malformed`);
    const bytes = Buffer.from(blob, 'base64');
    for (const k of keys) {
      if (k.name !== name || bytes.length !== 68 || bytes.subarray(0, 4).toString('hex') !== k.keyHash) continue;
      if (verify(null, Buffer.from(body, 'utf8'), k.key, bytes.subarray(4))) signedBy.push(name);
    }
  }
  if (keys.length > 0 && signedBy.length === 0) {
    return err(`the checkpoint is not signed by ${keys.map((k) => `${k.name}+${k.keyHash}`).join(' or ')}`);
  }
  return ok({ checkpoint: { origin, size, root }, signedBy });
}
