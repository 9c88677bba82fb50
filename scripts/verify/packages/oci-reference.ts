/** Image references (`ghcr.io/owner/image:1.0.0`, `owner/image`, `image@sha256:…`) → registry parts (pure). */

export interface OciReference {
  /** Registry host as written (`docker.io`, `ghcr.io`, `localhost:5000`). */
  registry: string;
  /** Host to ask: Docker Hub's API lives on registry-1.docker.io. */
  apiHost: string;
  repository: string;
  /** Tag or digest; undefined when the reference names neither. */
  reference: string | undefined;
}

export function parseOciReference(identifier: string): OciReference | undefined {
  let rest = identifier.trim().replace(/^[a-z]+:\/\//i, '');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!.toLowerCase();
  }
  if (parts.length === 0 || parts.some((p) => !/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(p))) return undefined;
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const apiHost = registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
  return { registry, apiHost, repository: parts.join('/'), reference: digest ?? tag };
}

/** `Bearer realm="…",service="…",scope="…"` → its parameters; undefined for other schemes. */
export function parseBearerChallenge(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/([a-z_]+)="([^"]*)"/gi)) params[m[1]!.toLowerCase()] = m[2]!;
  return params.realm ? params : undefined;
}
