/** Base URLs per service: configuration first, then what the package declares (pure). */
import type { Endpoints, RegistryConfig } from '../config/registry-config.ts';
import { DEFAULT_ALLOWED_REGISTRIES } from '../config/registry-config.ts';

/**
 * The base URL to ask for a package: a declared `registryBaseUrl` other than the official
 * default wins (enterprise registries the config allows); otherwise the configured endpoint.
 */
export function packageBase(type: 'npm' | 'pypi' | 'nuget' | 'cargo', declared: string | undefined, endpoints: Endpoints): string {
  const official = DEFAULT_ALLOWED_REGISTRIES[type] ?? [];
  const base = declared && !official.includes(declared.replace(/\/+$/, '')) ? declared : endpoints[type];
  return base.replace(/\/+$/, '');
}

/**
 * Replaces the origin of `url` with `override` (tests, mirrors), keeping the path and sending
 * the original host in the Host header so one server can stand in for many.
 */
export function withOrigin(url: string, override: string | undefined): { url: string; headers: Record<string, string> } {
  if (!override) return { url, headers: {} };
  const original = new URL(url);
  const base = new URL(override);
  const path = base.pathname.replace(/\/+$/, '') + original.pathname;
  return { url: `${base.origin}${path}${original.search}`, headers: { host: original.host } };
}

/** Every configured endpoint's origin or host: the only places plain http and private addresses are allowed. */
export function trustedOrigins(config: RegistryConfig): string[] {
  const out: string[] = [];
  for (const [type, value] of Object.entries(config.endpoints)) {
    if (typeof value !== 'string' || value === '') continue;
    if (type === 'dns') continue;
    try {
      out.push(new URL(value).origin);
    } catch {
      // Reported when the endpoint is used.
    }
  }
  return out;
}
