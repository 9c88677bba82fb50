/** Verifies one validated version file: namespace ownership, every package, every remote. */
import type { Resolver } from 'node:dns/promises';
import type { Octokit } from '@octokit/rest';
import type { Package, ServerJson } from '../core/api-types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { verifyDomainOwner } from './domain-owner.ts';
import { finding } from './finding.ts';
import { verifyGitHubOwner } from './github-owner.ts';
import { classifyNamespace } from './namespace.ts';
import { packageBase } from './endpoint-urls.ts';
import { refusedSource } from './packages/allowed-source.ts';
import { packageVerifiers } from './packages/registry.ts';
import type { VerifierServices } from './packages/package-verifier.ts';
import { proofKey } from './proof-cache.ts';
import type { ProofCache } from './proof-cache.ts';
import { verifyRemote } from './remotes.ts';
import type { HostResolver } from './remotes.ts';

export interface EntryToVerify {
  /** `servers/<namespace>/<name>/<version>.json` */
  path: string;
  server: ServerJson;
  /** The file's exact bytes (domain signatures cover them). */
  bytes: Uint8Array;
  /** Text of `<path>.sig`, undefined when absent. */
  signatureText: string | undefined;
  /** Why an existing `<path>.sig` could not be read. */
  signatureProblem?: string;
}

export interface VerifyServices extends VerifierServices {
  /** The config's allow-list per registry type: no package source outside it is contacted. */
  allowedRegistries: Readonly<Record<string, readonly string[]>>;
  octokit: Octokit;
  resolver: Resolver;
  resolveHost: HostResolver;
  cache: ProofCache;
  author: string | undefined;
  /**
   * True when re-verifying entries already merged: ownership was proven at merge time by an author
   * who is no longer known, so GitHub namespaces are not asked again and a domain signature may be
   * old — but the domain must still publish the key that made it.
   */
  published: boolean;
  now: Date;
  signatureMaxAgeMs: number;
  /** One package's verification ends by then, whatever its services do. */
  packageDeadlineMs: number;
}

/** Resolves with `late()` when `work` has not settled within `ms`; the work's own timeouts end it later. */
async function withDeadline<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function packageCacheKey(pkg: Package, serverName: string, services: VerifyServices): string {
  const base =
    pkg.registryType === 'npm' || pkg.registryType === 'pypi' || pkg.registryType === 'nuget' || pkg.registryType === 'cargo'
      ? packageBase(pkg.registryType, pkg.registryBaseUrl, services.endpoints)
      : pkg.registryType === 'oci'
        ? (services.endpoints.oci ?? '')
        : (services.endpoints.http ?? '');
  // registryBaseUrl names the registry of an older file's host-less OCI identifier.
  return proofKey([pkg.registryType, pkg.identifier, pkg.version, serverName, base, pkg.fileSha256, pkg.registryBaseUrl]);
}

async function verifyNamespace(entry: EntryToVerify, services: VerifyServices): Promise<Diagnostic[]> {
  const { server } = entry;
  const ns = classifyNamespace(server.name);
  if (ns.kind === 'github') return services.published ? [] : verifyGitHubOwner(server.name, ns.owner, services.author, services);
  if (ns.kind === 'domain') {
    return verifyDomainOwner(
      {
        path: entry.path,
        bytes: entry.bytes,
        name: server.name,
        version: server.version,
        domain: ns.domain,
        signatureText: entry.signatureText,
        ...(entry.signatureProblem ? { signatureProblem: entry.signatureProblem } : {}),
        now: services.now,
        maxAgeMs: services.published ? Number.POSITIVE_INFINITY : services.signatureMaxAgeMs,
      },
      { http: services.http, resolver: services.resolver, httpOverride: services.endpoints.http },
    );
  }
  return [
    finding(
      'namespace-unverifiable',
      `no one can prove ownership of the namespace '${ns.namespace}'; use io.github.<login> or a reverse-DNS domain you control`,
      '/name',
    ),
  ];
}

async function verifyPackages(server: ServerJson, services: VerifyServices): Promise<Diagnostic[]> {
  const results = await Promise.all(
    (server.packages ?? []).map(async (pkg, i) => {
      const pointer = `/packages/${i}`;
      const verifier = packageVerifiers[pkg.registryType];
      if (!verifier) {
        return [
          finding(
            'registry-type-unsupported',
            `packages of type '${pkg.registryType}' cannot be verified; supported: ${Object.keys(packageVerifiers).join(', ')}`,
            `${pointer}/registryType`,
          ),
        ];
      }
      const refused = refusedSource(pkg, services.allowedRegistries, pointer);
      if (refused) return [refused];
      if (pkg.registryType !== 'mcpb' && pkg.registryType !== 'oci' && !pkg.version) {
        return [finding('package-version-missing', `the package ${pkg.identifier} needs a "version"`, pointer)];
      }
      const key = packageCacheKey(pkg, server.name, services);
      if (await services.cache.has(key)) return [];
      const found = await withDeadline(verifier.verify({ pkg, serverName: server.name, pointer }, services), services.packageDeadlineMs, () => [
        finding(
          'service-unreachable',
          `verifying the ${pkg.registryType} package ${pkg.identifier} took longer than ${services.packageDeadlineMs < 1000 ? `${services.packageDeadlineMs} ms` : `${Math.round(services.packageDeadlineMs / 1000)} s`}; the registry is too slow, try again later`,
          pointer,
        ),
      ]);
      if (found.length === 0) await services.cache.remember(key, services.now);
      return found;
    }),
  );
  return results.flat();
}

/** Everything but namespace ownership: every package names the server, every remote is safe. `publish` runs it before the PR. */
export async function verifyArtifacts(server: ServerJson, services: VerifyServices): Promise<Diagnostic[]> {
  const ns = classifyNamespace(server.name);
  const [packages, remotes] = await Promise.all([
    verifyPackages(server, services),
    Promise.all((server.remotes ?? []).map((remote, i) => verifyRemote(remote, `/remotes/${i}`, ns, services.resolveHost))),
  ]);
  return [...packages, ...remotes.flat()];
}

export async function verifyEntry(entry: EntryToVerify, services: VerifyServices): Promise<Diagnostic[]> {
  const [owner, artifacts] = await Promise.all([verifyNamespace(entry, services), verifyArtifacts(entry.server, services)]);
  return [...owner, ...artifacts];
}
