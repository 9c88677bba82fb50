/**
 * Remotes: https only, a host name that resolves to public addresses, and for domain
 * namespaces a host on that domain or its subdomains.
 */
import type { Remote } from '../core/api-types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { isNonPublicAddress } from '../net/address-guard.ts';
import { finding } from './finding.ts';
import { isOnDomain } from './namespace.ts';
import type { Namespace } from './namespace.ts';

/** Resolves a host name to addresses; rejects (with an errno code) when it does not resolve. */
export type HostResolver = (host: string) => Promise<string[]>;

export async function verifyRemote(remote: Remote, pointer: string, namespace: Namespace, resolveHost: HostResolver): Promise<Diagnostic[]> {
  let url: URL;
  // Placeholders such as {tenant} cannot resolve; check the rest of the URL.
  const concrete = remote.url.replace(/\{[^}]*\}/g, 'x');
  try {
    url = new URL(concrete);
  } catch {
    return [finding('remote-url-invalid', `'${remote.url}' is not a URL`, `${pointer}/url`)];
  }
  if (url.protocol !== 'https:') {
    return [finding('remote-not-https', `remote ${remote.url} must use https`, `${pointer}/url`)];
  }
  const host = url.hostname.toLowerCase();
  const out: Diagnostic[] = [];
  if (namespace.kind === 'domain' && !isOnDomain(host, namespace.domain)) {
    out.push(
      finding(
        'remote-off-domain',
        `remote host ${host} is not on ${namespace.domain}; a ${namespace.domain} server's remotes must be on that domain or a subdomain`,
        `${pointer}/url`,
      ),
    );
  }
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(remote.url)?.[1] ?? '';
  if (authority.includes('{')) return out;
  try {
    const addresses = await resolveHost(host);
    if (addresses.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
    if (addresses.every(isNonPublicAddress)) {
      out.push(
        finding(
          'remote-private-address',
          `remote host ${host} resolves only to non-public addresses (${addresses.join(', ')}); a remote must be reachable from the internet`,
          `${pointer}/url`,
        ),
      );
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    out.push(finding('remote-unresolvable', `remote host ${host} does not resolve (${code}); fix the URL or its DNS records`, `${pointer}/url`));
  }
  return out;
}
