/** The distribution API's side of an image reference: which host answers, and its token challenges (pure). */
import { DOCKER_HUB } from '../../core/package-source.ts';

/** Docker Hub's API lives on registry-1.docker.io; every other registry answers under its own name. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** `Bearer realm="…",service="…",scope="…"` → its parameters; undefined for other schemes. */
export function parseBearerChallenge(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, value] of header.slice(7).matchAll(/([a-z_]+)="([^"]*)"/gi))
    if (key !== undefined && value !== undefined) params[key.toLowerCase()] = value;
  return params.realm ? params : undefined;
}
