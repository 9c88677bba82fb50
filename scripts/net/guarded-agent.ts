/**
 * The undici Agent every request goes through, and which targets are trusted. Trusted are the
 * origins (and bare hosts) of configured endpoints; everything else must resolve to public
 * addresses. The check runs at connect time, after resolution, so DNS rebinding cannot slip past
 * a check made earlier.
 */
import { lookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { Agent } from 'undici';
import { bareHost, isNonPublicAddress } from './address-guard.ts';

export type LookupFunction = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface Trust {
  /** Same origin as a configured endpoint (or a configured bare host): may use http and private addresses. */
  isTrustedUrl(url: URL): boolean;
  isTrustedHost(hostname: string): boolean;
}

export function createTrust(entries: readonly string[]): Trust {
  const origins = new Set<string>();
  const hosts = new Set<string>();
  const bare = new Set<string>();
  for (const entry of entries) {
    try {
      const hasScheme = entry.includes('://');
      const url = new URL(hasScheme ? entry : `http://${entry}`);
      hosts.add(bareHost(url.hostname));
      if (hasScheme) origins.add(url.origin.toLowerCase());
      else bare.add(bareHost(url.hostname));
    } catch {
      // A malformed endpoint is reported where it is used.
    }
  }
  return {
    isTrustedUrl: (url) => origins.has(url.origin.toLowerCase()) || bare.has(bareHost(url.hostname)),
    isTrustedHost: (hostname) => hosts.has(bareHost(hostname)),
  };
}

export function systemLookupAll(hostname: string): Promise<{ address: string; family: number }[]> {
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => {
      if (error) reject(error);
      else resolve(addresses);
    });
  });
}

export function createGuardedAgent(trust: Trust, resolveName: LookupFunction, connectTimeoutMs: number): Agent {
  return new Agent({
    connect: {
      timeout: connectTimeoutMs,
      lookup: (hostname: string, opts: unknown, callback: (...args: unknown[]) => void) => {
        const all = typeof opts === 'object' && opts !== null && (opts as { all?: boolean }).all === true;
        resolveName(hostname).then(
          (addresses) => {
            const usable = trust.isTrustedHost(hostname) ? addresses : addresses.filter((a) => !isNonPublicAddress(a.address));
            const first = usable[0];
            if (first === undefined) {
              const err = new Error(`${hostname} resolves only to non-public addresses`) as NodeJS.ErrnoException;
              err.code = 'ESSRF';
              callback(err);
              return;
            }
            if (all) callback(null, usable);
            else callback(null, first.address, first.family);
          },
          (error: unknown) => callback(error),
        );
      },
    } as never,
  });
}
