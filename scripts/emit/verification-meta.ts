/**
 * `_meta[<metaNamespace>].verification.namespace`: for a domain namespace, the key whose signature
 * over the version's exact bytes this build checked (verify/verified-by.ts). The file-system edge:
 * reads `<version>.json.sig` beside each domain-namespaced version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerJson } from '../core/api-types.ts';
import { isRecord } from '../core/is-record.ts';
import { SIGNATURE_SUFFIX } from '../sign/signature-file.ts';
import { classifyNamespace } from '../verify/namespace.ts';
import { domainSignatureProof } from '../verify/verified-by.ts';

type VersionMeta = Map<string, Record<string, Record<string, unknown>>>;

/** Reads a version's bytes and its signature file's text (undefined when there is none). */
export interface SignedFileReader {
  bytes(path: string): Uint8Array;
  signature(path: string): string | undefined;
}

export function signedFileReader(root: string): SignedFileReader {
  return {
    bytes: (path) => new Uint8Array(readFileSync(join(root, path))),
    signature: (path) => {
      const sig = join(root, `${path}${SIGNATURE_SUFFIX}`);
      return existsSync(sig) ? readFileSync(sig, 'utf8') : undefined;
    },
  };
}

/** `meta` (as the catalog's versionMeta) with `verification.namespace` added where the build could check a domain signature. */
export function withVerificationMeta(meta: VersionMeta, entries: readonly { path: string; server: ServerJson }[], read: SignedFileReader): VersionMeta {
  for (const { path, server } of entries) {
    if (classifyNamespace(server.name).kind !== 'domain') continue;
    const text = read.signature(path);
    if (text === undefined) continue;
    const proof = domainSignatureProof(server.name, server.version, read.bytes(path), text);
    if (proof === undefined) continue;
    const lower = server.name.toLowerCase();
    const versions = meta.get(lower) ?? {};
    const own = Object.hasOwn(versions, server.version) ? versions[server.version] : {};
    const verification = isRecord(own?.verification) ? own.verification : {};
    versions[server.version] = { ...own, verification: { ...verification, namespace: proof } };
    meta.set(lower, versions);
  }
  return meta;
}
