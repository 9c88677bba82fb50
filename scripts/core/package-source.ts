/**
 * Where a package is fetched from (pure). Validation checks this host against the allow-list and
 * verification contacts this host, so both read it here and can never disagree.
 */
import { err, ok, type Result } from './result.ts';

export interface OciReference {
  /** Registry host in lower case, with a port when one is written; Docker Hub's aliases are `docker.io`. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export type OciSourceProblem =
  | { problem: 'invalid' }
  /** The identifier names one registry and `registryBaseUrl` another. */
  | { problem: 'mismatch'; named: string; declared: string };

export type OciSource = Result<OciReference, OciSourceProblem>;

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

/** Docker Hub answers under several names; they are one registry. */
export function canonicalRegistryHost(host: string): string {
  const h = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(h) ? DOCKER_HUB : h;
}

const COMPONENT = '[a-z0-9]+(?:[._-]+[a-z0-9]+)*';
const REFERENCE = new RegExp(`^(?:([a-zA-Z0-9.-]+(?::\\d+)?)/)?(${COMPONENT}(?:/${COMPONENT})*)(?::(\\w[\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);

interface ReferenceParts {
  /** As written; undefined when the reference names no registry. */
  host: string | undefined;
  repository: string;
  tag?: string;
  digest?: string;
}

/** `ghcr.io/owner/image:1.0.0`, `owner/image`, `image@sha256:…` → its parts, or undefined. */
function splitReference(identifier: string): ReferenceParts | undefined {
  const m = REFERENCE.exec(identifier);
  if (!m?.[2]) return undefined;
  let host = m[1];
  let repository = m[2];
  // A first component without '.' or ':' is a Docker Hub namespace, not a host.
  if (host !== undefined && !host.includes('.') && !host.includes(':') && host !== 'localhost') {
    repository = `${host}/${repository}`;
    host = undefined;
  }
  return { host, repository, ...(m[3] ? { tag: m[3] } : {}), ...(m[4] ? { digest: m[4] } : {}) };
}

function onRegistry(parts: ReferenceParts, registry: string): OciReference {
  // Docker Hub keeps single-name official images under library/.
  const repository = registry === DOCKER_HUB && !parts.repository.includes('/') ? `library/${parts.repository}` : parts.repository;
  return { registry, repository, ...(parts.tag ? { tag: parts.tag } : {}), ...(parts.digest ? { digest: parts.digest } : {}) };
}

/** Host (with a port other than the scheme's default) of a base URL; the raw text when it is not a URL. */
function baseUrlHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl
      .toLowerCase()
      .replace(/^[a-z]+:\/\//, '')
      .replace(/\/.*$/, '');
  }
}

/**
 * The registry an OCI package is pulled from. The identifier names it, and one without a host
 * means Docker Hub; `registryBaseUrl` (older formats) may only repeat it, or name it for an
 * identifier without a host, as those formats did (`https://ghcr.io` + `owner/image`).
 */
export function ociSource(identifier: string, registryBaseUrl: string | undefined): OciSource {
  const parts = splitReference(identifier);
  if (!parts) return err({ problem: 'invalid' });
  const named = parts.host === undefined ? undefined : canonicalRegistryHost(parts.host);
  if (registryBaseUrl === undefined) return ok(onRegistry(parts, named ?? DOCKER_HUB));
  const declared = canonicalRegistryHost(baseUrlHost(registryBaseUrl));
  if (named !== undefined && named !== declared) return err({ problem: 'mismatch', named, declared });
  return ok(onRegistry(parts, declared));
}

/**
 * Whether `host` (with its port, if any) is on the allow-list: entries are hosts, `*.suffix`
 * wildcards or base URLs whose host counts. A port must be listed to be allowed.
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = canonicalRegistryHost(host);
  return allowed.some((entry) => {
    const a = canonicalRegistryHost(baseUrlHost(entry.includes('://') ? entry : `https://${entry}`));
    return a.startsWith('*.') ? h.endsWith(a.slice(1)) && !h.includes(':') : h === a;
  });
}

/** Whether a declared `registryBaseUrl` is one of the allowed base URLs (npm, PyPI, NuGet), trailing slashes aside. */
export function baseUrlAllowed(baseUrl: string, allowed: readonly string[]): boolean {
  const normalized = baseUrl.replace(/\/+$/, '');
  return allowed.some((a) => a.replace(/\/+$/, '') === normalized);
}

/** The https download URL of an MCPB file, or undefined when the identifier is not one. */
export function downloadUrl(identifier: string): URL | undefined {
  try {
    const url = new URL(identifier);
    return url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
