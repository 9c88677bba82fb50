/** Builds the network services `verify` uses from the registry config (the I/O edge). */
import { lookup } from 'node:dns/promises';
import { Resolver } from 'node:dns/promises';
import type { RegistryConfig } from '../config/registry-config.ts';
import { fetchOver } from '../net/fetch-adapter.ts';
import { createHttpClient } from '../net/http-client.ts';
import { registryUserAgent } from '../net/user-agent.ts';
import type { HttpClient, HttpClientOptions } from '../net/http-client.ts';
import { createOctokit } from './github-owner.ts';
import { trustedOrigins } from './endpoint-urls.ts';
import { createProofCache, noProofCache } from './proof-cache.ts';
import { DEFAULT_SIGNATURE_MAX_AGE_DAYS } from './signature-check.ts';
import type { VerifyServices } from './verify-entry.ts';

export const DEFAULT_MCPB_MAX_BYTES = 256 * 1024 * 1024;
export const DNS_TIMEOUT_MS = 2000;
/** Longest one package may take (an OCI index makes many requests, each with its own timeout and retries). */
export const PACKAGE_DEADLINE_MS = 60_000;

export interface VerifyOptions {
  author?: string;
  /** Re-verifying merged entries (see VerifyServices.published). */
  published?: boolean;
  /** Directory of the proof cache; undefined disables it. */
  cacheDir?: string;
  githubToken?: string;
  now?: Date;
  http?: HttpClientOptions;
  packageDeadlineMs?: number;
}

/** `verify:` section of registry.config.yaml: `signatureMaxAgeDays`, `mcpbMaxBytes`, `contact` (default: the registry's baseUrl). */
function verifySection(config: RegistryConfig): { signatureMaxAgeDays: number; mcpbMaxBytes: number; contact: string } {
  const raw = config.extra.verify as Record<string, unknown> | undefined;
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && v > 0 ? v : fallback);
  return {
    signatureMaxAgeDays: num(raw?.signatureMaxAgeDays, DEFAULT_SIGNATURE_MAX_AGE_DAYS),
    mcpbMaxBytes: num(raw?.mcpbMaxBytes, DEFAULT_MCPB_MAX_BYTES),
    contact: typeof raw?.contact === 'string' && raw.contact.trim() !== '' ? raw.contact : config.baseUrl,
  };
}

/**
 * What verify's requests say they are: `<name>-verify/0.1 (+<verify.contact>; MCP registry verification; …)`.
 * crates.io requires a User-Agent with a way to reach the operator; the others get the same.
 */
export function verifyUserAgent(config: RegistryConfig): string {
  return registryUserAgent(config.name, 'verify', verifySection(config).contact, 'MCP registry verification');
}

/** c-ares doubles the timeout on each try: the worst case is about 3× `timeoutMs`. */
export function createResolver(dnsEndpoint: string | undefined, timeoutMs = DNS_TIMEOUT_MS): Resolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (dnsEndpoint) resolver.setServers([dnsEndpoint]);
  return resolver;
}

export function createVerifyServices(config: RegistryConfig, options: VerifyOptions = {}): VerifyServices & { close(): Promise<void> } {
  const http: HttpClient = createHttpClient({ trustedOrigins: trustedOrigins(config), userAgent: verifyUserAgent(config), ...options.http });
  const resolver = createResolver(config.endpoints.dns);
  const section = verifySection(config);
  const resolveHost = config.endpoints.dns
    ? async (host: string) => {
        const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
        const all = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
        if (all.length === 0 && v4.status === 'rejected') throw v4.reason;
        return all;
      }
    : async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);
  return {
    http,
    endpoints: config.endpoints,
    mcpbMaxBytes: section.mcpbMaxBytes,
    allowedRegistries: config.allowedRegistries,
    octokit: createOctokit(config.endpoints.github, fetchOver(http), options.githubToken),
    resolver,
    resolveHost,
    cache: options.cacheDir ? createProofCache(options.cacheDir) : noProofCache,
    author: options.author,
    published: options.published ?? false,
    now: options.now ?? new Date(),
    signatureMaxAgeMs: section.signatureMaxAgeDays * 86_400_000,
    packageDeadlineMs: options.packageDeadlineMs ?? PACKAGE_DEADLINE_MS,
    close: () => http.close(),
  };
}
