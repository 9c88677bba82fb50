/**
 * `_meta[<metaNamespace>].verification.namespace`: for a domain namespace, the key whose signature
 * over the version's exact bytes this build checked (verify/verified-by.ts); for `io.github.<login>`,
 * the GitHub account id recorded in `registry/owners/io.github.<login>.yaml`.
 * `_meta[<metaNamespace>].verification.packages`: the packages `mcp-registry verify --record` proved name the
 * server back, from `registry/verified/<ns>/<name>.yaml` (state/verified-file.ts). The file-system edge:
 * reads `<version>.json.sig` beside each domain-namespaced version, the owner and the verified records.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import type { ServerJson } from '../core/api-types.ts';
import { isRecord } from '../core/is-record.ts';
import { SIGNATURE_SUFFIX } from '../sign/signature-file.ts';
import { ownerLogin, ownerPath, parseOwnerFile } from '../state/owner-file.ts';
import type { GitHubAccountType, OwnerRecord } from '../state/owner-file.ts';
import { parseVerifiedFile, verifiedPath, verifiedServer } from '../state/verified-file.ts';
import type { VerifiedPackage, VerifiedRecord } from '../state/verified-file.ts';
import { classifyNamespace } from '../verify/namespace.ts';
import { domainSignatureProof } from '../verify/verified-by.ts';
import type { DomainSignatureProof } from '../verify/verified-by.ts';

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

/** `_meta[<metaNamespace>].verification.namespace` for `io.github.<login>` with an owner record. */
export interface GitHubAccountRecord {
  kind: 'github';
  login: string;
  /** GitHub's immutable account id, as registry/owners records it. */
  accountId: number;
  /** What GitHub calls the account, when the owner record keeps it. */
  accountType?: GitHubAccountType;
  /** The registry-owned file the id comes from. */
  record: string;
}

/** Every well-formed `registry/owners/io.github.<login>.yaml`, by login; a malformed one is left out (the PR check reports it). */
export async function readOwnerRecords(root: string): Promise<Map<string, OwnerRecord>> {
  const out = new Map<string, OwnerRecord>();
  for (const path of (await fg('registry/owners/io.github.*.yaml', { cwd: root, onlyFiles: true })).sort()) {
    const login = ownerLogin(path);
    if (login === undefined) continue;
    const parsed = parseOwnerFile(await readFile(join(root, path), 'utf8'), login);
    if (parsed.value !== undefined) out.set(login, parsed.value);
  }
  return out;
}

/** Every well-formed `registry/verified/<ns>/<name>.yaml`, by lower-cased server name; a malformed one is left out (the PR check routes changes to a maintainer). */
export async function readVerifiedRecords(root: string): Promise<Map<string, VerifiedRecord>> {
  const out = new Map<string, VerifiedRecord>();
  for (const path of (await fg('registry/verified/*/*.yaml', { cwd: root, onlyFiles: true })).sort()) {
    const name = verifiedServer(path);
    if (name === undefined) continue;
    const parsed = parseVerifiedFile(await readFile(join(root, path), 'utf8'));
    if (parsed.value !== undefined) out.set(name, parsed.value);
  }
  return out;
}

/** `verification.packages[]`: a recorded proof, with the record it comes from. */
export interface PackageProofMeta extends VerifiedPackage {
  ok: true;
  record: string;
}

/** The recorded packages of this version that its server.json still lists (a record claims nothing else). */
function packageProofs(server: ServerJson, verified: ReadonlyMap<string, VerifiedRecord>): PackageProofMeta[] {
  const recorded = verified.get(server.name.toLowerCase());
  if (recorded === undefined || !Object.hasOwn(recorded, server.version)) return [];
  const listed = new Set((server.packages ?? []).map((p) => `${p.registryType}\n${p.identifier}`));
  const record = verifiedPath(server.name);
  return (recorded[server.version] ?? []).filter((p) => listed.has(`${p.registryType}\n${p.identifier}`)).map((p) => ({ ...p, ok: true, record }));
}

function namespaceProof(
  entry: { path: string; server: ServerJson },
  read: SignedFileReader,
  owners: ReadonlyMap<string, OwnerRecord>,
): DomainSignatureProof | GitHubAccountRecord | undefined {
  const ns = classifyNamespace(entry.server.name);
  if (ns.kind === 'github') {
    const owner = owners.get(ns.owner);
    if (owner === undefined) return undefined;
    const type = owner.accountType === undefined ? {} : { accountType: owner.accountType };
    return { kind: 'github', login: ns.owner, accountId: owner.accountId, ...type, record: ownerPath(ns.owner) };
  }
  if (ns.kind !== 'domain') return undefined;
  const text = read.signature(entry.path);
  return text === undefined ? undefined : domainSignatureProof(entry.server.name, entry.server.version, read.bytes(entry.path), text);
}

/**
 * `meta` (as the catalog's versionMeta) with `verification.namespace` added where the build could check a domain
 * signature or has an owner record, and `verification.packages` where a verified record lists the version's packages.
 */
export function withVerificationMeta(
  meta: VersionMeta,
  entries: readonly { path: string; server: ServerJson }[],
  read: SignedFileReader,
  owners: ReadonlyMap<string, OwnerRecord> = new Map(),
  verified: ReadonlyMap<string, VerifiedRecord> = new Map(),
): VersionMeta {
  for (const entry of entries) {
    const { server } = entry;
    const proof = namespaceProof(entry, read, owners);
    const packages = packageProofs(server, verified);
    if (proof === undefined && packages.length === 0) continue;
    const lower = server.name.toLowerCase();
    const versions = meta.get(lower) ?? {};
    const own = Object.hasOwn(versions, server.version) ? versions[server.version] : {};
    const verification = isRecord(own?.verification) ? own.verification : {};
    versions[server.version] = {
      ...own,
      verification: { ...verification, ...(proof !== undefined ? { namespace: proof } : {}), ...(packages.length > 0 ? { packages } : {}) },
    };
    meta.set(lower, versions);
  }
  return meta;
}
