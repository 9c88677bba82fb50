/**
 * What a server page can say about who published a server and what was checked (pure), from
 * what the registry already records: the namespace (who may publish under it), the repository's
 * place, a mirror's provenance, and a verification record when the verify stage left one under
 * the registry's `_meta` key. Each signal says what it rests on; none is a claim this registry
 * did not make.
 */
import type { Publisher } from '../catalog/server-summary.ts';
import { isRecord } from '../core/is-record.ts';
import { safeHttpUrl } from './safe-url.ts';

export interface TrustSignal {
  /** Short heading: `GitHub account`, `Domain`, `Repository`, `Mirrored from`, `Package checks`. */
  label: string;
  text: string;
  url?: string;
  /** When it was checked or fetched (RFC 3339), if recorded. */
  at?: string;
}

/** The shape the verify stage records under `_meta[<metaNamespace>].verification`, when it does. */
export interface VerificationRecord {
  checkedAt?: string;
  /** A domain namespace's signature the build checked over the version's bytes (verify/verified-by.ts). */
  namespace?:
    | { kind?: 'domain'; domain?: string; key?: string; keyId?: string; signedAt?: string; checkedBy?: string }
    | { kind?: 'github'; login?: string; accountId?: number; accountType?: 'User' | 'Organization'; record?: string };
  /** From registry/verified/<ns>/<name>.yaml (`mcp-registry verify --record`; emit/verification-meta.ts). */
  packages?: { registryType?: string; identifier?: string; proved?: string; checkedAt?: string; ok?: boolean; record?: string }[];
}

const LOGIN = /^[a-z0-9](?:[a-z0-9-]{0,38})$/;
const DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,}$/;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function namespaceSignal(namespace: string, publisher: Publisher, mirroredFrom: string | undefined): TrustSignal {
  const where =
    mirroredFrom === undefined
      ? 'a registry following the official rules checks this when a version is published'
      : `${mirroredFrom} checked this when the version was published there`;
  if (publisher.kind === 'github') {
    const url = LOGIN.test(publisher.owner) ? `https://github.com/${publisher.owner}` : undefined;
    return {
      label: 'GitHub account',
      text: `Published under ${namespace}: only the GitHub user ${publisher.owner}, or an owner of the organisation ${publisher.owner}, may publish there (${where}).`,
      ...(url ? { url } : {}),
    };
  }
  const domain = publisher.domain ?? namespace;
  const url = DOMAIN.test(domain) ? `https://${domain}/` : undefined;
  return {
    label: 'Domain',
    text: `Published under ${namespace}: only whoever controls the domain ${domain} may publish there (${where}).`,
    ...(url ? { url } : {}),
  };
}

function repositorySignal(publisher: Publisher, repositoryUrl: string | undefined): TrustSignal | undefined {
  if (repositoryUrl === undefined) return undefined;
  if (publisher.repositoryOwned) {
    return {
      label: 'Repository',
      text:
        publisher.kind === 'github'
          ? `The source repository belongs to the same GitHub account, ${publisher.owner}.`
          : `The source repository is on the namespace's own domain.`,
      url: repositoryUrl,
    };
  }
  return {
    label: 'Repository',
    text: 'The source repository is not under the publisher’s account or domain: it may be someone else’s code.',
    url: repositoryUrl,
  };
}

function namespaceRecordSignal(ns: unknown): TrustSignal[] {
  if (!isRecord(ns)) return [];
  if (ns.kind === 'github') {
    const login = str(ns.login);
    const record = str(ns.record);
    if (login === undefined || !LOGIN.test(login) || !Number.isSafeInteger(ns.accountId) || record === undefined) return [];
    // Records written before the account's type was kept say "account"; they stay readable.
    const who = ns.accountType === 'Organization' ? 'organisation' : ns.accountType === 'User' ? 'user' : 'account';
    return [
      {
        label: 'GitHub account id',
        text: `Published by the GitHub ${who} ${login} (id ${String(ns.accountId)}): this registry records the namespace io.github.${login} as that account, in ${record}; GitHub never changes an account's id, even when its login is renamed.`,
      },
    ];
  }
  if (ns.kind !== 'domain' || ns.checkedBy !== 'build') return [];
  const domain = str(ns.domain);
  const keyId = str(ns.keyId);
  const key = str(ns.key);
  if (domain === undefined || keyId === undefined || key === undefined) return [];
  const at = str(ns.signedAt);
  return [
    {
      label: 'Domain key',
      text: `Signed for the domain ${domain} with the key ${keyId}; this registry's build checked the signature over this version's exact bytes. That the domain publishes the key (${key}) was checked when the version was published.`,
      ...(at ? { at } : {}),
    },
  ];
}

function verificationSignals(record: unknown): TrustSignal[] {
  if (!isRecord(record)) return [];
  const domainKey = namespaceRecordSignal(record.namespace);
  if (!Array.isArray(record.packages)) return domainKey;
  return [
    ...domainKey,
    ...record.packages.filter(isRecord).map((p) => {
      const at = str(p.checkedAt) ?? str(record.checkedAt);
      const proved = str(p.proved);
      const where = str(p.record);
      const how = p.ok === true && proved !== undefined ? ` (${proved}${where !== undefined ? `, recorded in ${where}` : ''})` : '';
      return {
        label: 'Package checks',
        text: `${str(p.registryType) ?? 'package'} ${str(p.identifier) ?? ''}: ${p.ok === true ? 'names this server back' : 'did not name this server back'}${how}.`,
        ...(at ? { at } : {}),
      };
    }),
  ];
}

/** Pure: the page's trust signals, in a fixed order. */
export function trustSignals(input: { name: string; namespace: string; publisher: Publisher; repositoryUrl?: string; registryMeta?: unknown }): TrustSignal[] {
  const own = isRecord(input.registryMeta) ? input.registryMeta : {};
  const upstream = isRecord(own.upstream) ? own.upstream : undefined;
  const upstreamUrl = safeHttpUrl(upstream?.url);
  const mirroredFrom = upstreamUrl === undefined ? undefined : new URL(upstreamUrl).host;
  const out: TrustSignal[] = [namespaceSignal(input.namespace, input.publisher, mirroredFrom)];
  const repo = repositorySignal(input.publisher, input.repositoryUrl);
  if (repo) out.push(repo);
  if (upstreamUrl !== undefined) {
    const at = str(upstream?.fetchedAt);
    out.push({ label: 'Mirrored from', text: `Copied from the registry at ${mirroredFrom}.`, url: upstreamUrl, ...(at ? { at } : {}) });
  }
  out.push(...verificationSignals(own.verification));
  return out;
}
