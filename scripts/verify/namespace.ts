/** Who may claim a server name, by the shape of its namespace (pure). */

export type Namespace = { kind: 'github'; owner: string } | { kind: 'domain'; domain: string } | { kind: 'unknown'; namespace: string };

export function namespaceOf(serverName: string): string {
  const slash = serverName.indexOf('/');
  return (slash === -1 ? serverName : serverName.slice(0, slash)).toLowerCase();
}

/** `io.github.octo/x` → GitHub owner `octo`; `com.example.sub/x` → domain `sub.example.com`. */
export function classifyNamespace(serverName: string): Namespace {
  const ns = namespaceOf(serverName);
  if (ns.startsWith('io.github.')) {
    const owner = ns.slice('io.github.'.length);
    if (/^[a-z0-9](?:[a-z0-9-]{0,38})$/.test(owner)) return { kind: 'github', owner };
    return { kind: 'unknown', namespace: ns };
  }
  const labels = ns.split('.');
  if (labels.length >= 2 && labels.every((l) => /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l))) {
    return { kind: 'domain', domain: labels.reverse().join('.') };
  }
  return { kind: 'unknown', namespace: ns };
}

/** The domain and its parents down to two labels: `a.b.example.com` → [a.b.example.com, b.example.com, example.com]. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}

/** True when `host` is `domain` or one of its subdomains. */
export function isOnDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === domain || h.endsWith(`.${domain}`);
}
