/** Remote endpoints: public https URLs whose `{variables}` are declared; ideally on the namespace's own domain. */
import { error, recordsAt, stringAt, strictError, warning } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';
import { isLocalHost, isNonPublicHost } from './local-address.ts';
import { fixedHost, isHttpUrlTemplate, templateVariables } from './url-template.ts';
import { isRecord } from '../../core/is-record.ts';

/** `com.example.sub` → `sub.example.com`; undefined for GitHub namespaces, which own no domain. */
export function namespaceDomain(serverName: string): string | undefined {
  const slash = serverName.indexOf('/');
  if (slash <= 0) return undefined;
  const namespace = serverName.slice(0, slash).toLowerCase();
  if (namespace.startsWith('io.github.')) return undefined;
  return namespace.split('.').reverse().join('.');
}

export const remoteRules = {
  codes: ['remote/url-invalid', 'remote/not-https', 'remote/local-address', 'remote/undefined-variable', 'remote/domain-mismatch'] as const,
  check(doc): Finding[] {
    const out: Finding[] = [];
    const name = stringAt(doc, 'name');
    const domain = name ? namespaceDomain(name) : undefined;
    recordsAt(doc, 'remotes').forEach((remote, i) => {
      const url = stringAt(remote, 'url');
      if (!url) return;
      const pointer = `/remotes/${i}/url`;
      if (!isHttpUrlTemplate(url)) {
        out.push(error('remote/url-invalid', pointer, `'${url}' is not an https URL with a host; write it like https://mcp.example.com/mcp`));
        return;
      }
      const declared = isRecord(remote.variables) ? new Set(Object.keys(remote.variables)) : new Set<string>();
      for (const variable of templateVariables(url)) {
        if (!declared.has(variable)) {
          out.push(
            error(
              'remote/undefined-variable',
              pointer,
              `the URL uses {${variable}}, which 'variables' does not declare; add "variables": {"${variable}": {...}}`,
            ),
          );
        }
      }
      const host = fixedHost(url);
      if (!host) return;
      if (host.protocol !== 'https:') {
        out.push(error('remote/not-https', pointer, `remote URLs must use https (found ${host.protocol.replace(':', '')}); serve the endpoint over TLS`));
      }
      if (isLocalHost(host.hostname)) {
        // The official registry refuses every non-public address; `.local` and `.internal` names are ours to refuse.
        out.push(
          (isNonPublicHost(host.hostname) ? error : strictError)(
            'remote/local-address',
            pointer,
            `'${host.hostname}' is a local or private address that no client elsewhere can reach; publish a public endpoint`,
          ),
        );
      } else if (name && domain && host.hostname !== domain && !host.hostname.endsWith(`.${domain}`)) {
        out.push(
          warning(
            'remote/domain-mismatch',
            pointer,
            `the namespace ${name.slice(0, name.indexOf('/'))} owns ${domain}, but this remote is on ${host.hostname}; it is accepted, but clients cannot tell that the namespace's owner runs it: host it on ${domain} or a subdomain, or use a namespace for ${host.hostname}`,
          ),
        );
      }
    });
    return out;
  },
} satisfies Rule;
