/**
 * What the build itself can prove about who published a version, from the repository alone (pure):
 * for a domain namespace, that the signature file beside the version is a valid signature, by the key it
 * names, over this version's exact bytes, name and version. That the domain publishes that key is
 * what `verify` checks over the network (at merge, and weekly with --published); the build has no
 * network, so it records the key for anyone to compare with the domain's record.
 */
import { createHash } from 'node:crypto';
import { keyRecord, publicKeyFromRaw } from '../sign/keys.ts';
import { parseSignatureFile, sha256Hex, signatureMatchesKey } from '../sign/signature-file.ts';
import { classifyNamespace } from './namespace.ts';

/** `_meta[<metaNamespace>].verification.namespace` for a domain namespace whose signature the build checked. */
export interface DomainSignatureProof {
  kind: 'domain';
  domain: string;
  /** The key in the record form the domain publishes (`v=MCPv1; k=…; p=…`), to compare with its DNS or well-known record. */
  key: string;
  /** First 16 hex digits of the SHA-256 of the raw public key. */
  keyId: string;
  signedAt: string;
  /** Who checked the signature over the bytes: this build. */
  checkedBy: 'build';
}

/** The key id used in `_meta` and on the site: the first 8 bytes of SHA-256(raw public key), in hex. */
export function domainKeyId(publicKeyBase64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 16);
}

/**
 * The proof for one version, or undefined when there is nothing the build can vouch for: not a domain
 * namespace, no signature file, or one that does not verify over these bytes (the PR check reports those).
 */
export function domainSignatureProof(
  serverName: string,
  version: string,
  bytes: Uint8Array,
  signatureText: string | undefined,
): DomainSignatureProof | undefined {
  const ns = classifyNamespace(serverName);
  if (ns.kind !== 'domain' || signatureText === undefined) return undefined;
  const sig = parseSignatureFile(signatureText);
  if (!sig.ok) return undefined;
  const s = sig.value;
  if (s.name.toLowerCase() !== serverName.toLowerCase() || s.version !== version || s.sha256 !== sha256Hex(bytes)) return undefined;
  const key = publicKeyFromRaw(s.algorithm, s.publicKey);
  if (!key.ok || !signatureMatchesKey(s, key.value)) return undefined;
  return { kind: 'domain', domain: ns.domain, key: keyRecord(key.value), keyId: domainKeyId(s.publicKey), signedAt: s.signedAt, checkedBy: 'build' };
}
