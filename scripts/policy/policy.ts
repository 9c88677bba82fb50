/**
 * What a registry accepts from upstreams and imports: the `policy` section of
 * registry.config.yaml compiled into a predicate over server.json and its status (pure).
 *
 *   policy:
 *     allow: { namespaces: [io.github.acme], names: ['*-mcp'], registryTypes: [npm, oci], statuses: [active] }
 *     deny:  { namespaces: [com.evil], names: ['*test*'], registryTypes: [mcpb], statuses: [deleted] }
 *
 * A list under `allow` means "only these"; a missing list allows everything. A match under `deny`
 * always excludes. Namespaces match themselves and their sub-namespaces (`io.github` matches
 * `io.github.acme`); name patterns are globs with `*`, matched against the whole name,
 * case-insensitively. Registry types are the packages' `registryType`s, plus `remote` for
 * remotes: under `allow` every one of them must be listed.
 */
import type { ServerJson, ServerStatus } from '../core/api-types.ts';
import { isRecord } from '../core/is-record.ts';
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';

export interface PolicyRules {
  namespaces?: string[];
  names?: string[];
  registryTypes?: string[];
  statuses?: ServerStatus[];
}

export interface Policy {
  allow: PolicyRules;
  deny: PolicyRules;
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

/** The compiled policy, or every mistake in the section. */
export type PolicyResult = Result<Policy, string[]>;

const DIMENSIONS = ['namespaces', 'names', 'registryTypes', 'statuses'] as const;
const STATUSES = ['active', 'deprecated', 'deleted'];

function compileRules(raw: unknown, where: string, errors: string[]): PolicyRules {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    errors.push(`${where} must be a mapping with any of ${DIMENSIONS.join(', ')}`);
    return {};
  }
  const rules: PolicyRules = {};
  for (const key of Object.keys(raw)) {
    if (!(DIMENSIONS as readonly string[]).includes(key)) {
      errors.push(`${where}.${key} is not a policy list; expected one of ${DIMENSIONS.join(', ')}`);
      continue;
    }
    const list = raw[key];
    if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && s !== '')) {
      errors.push(`${where}.${key} must be a list of non-empty strings`);
      continue;
    }
    if (key === 'statuses') {
      const bad = list.filter((s) => !STATUSES.includes(s));
      if (bad.length > 0) errors.push(`${where}.statuses has ${bad.join(', ')}; expected ${STATUSES.join(', ')}`);
      rules.statuses = list as ServerStatus[];
    } else {
      rules[key as 'namespaces' | 'names' | 'registryTypes'] = list.map((s: string) => s.toLowerCase());
    }
  }
  return rules;
}

/** `raw` is `config.extra.policy` (undefined: everything is allowed). */
export function compilePolicy(raw: unknown): PolicyResult {
  const errors: string[] = [];
  if (raw !== undefined && raw !== null && !isRecord(raw)) return err(['policy must be a mapping with allow and/or deny']);
  const section = (raw ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(section)) {
    if (key !== 'allow' && key !== 'deny') errors.push(`policy.${key} is unknown; expected allow or deny`);
  }
  const policy: Policy = { allow: compileRules(section.allow, 'policy.allow', errors), deny: compileRules(section.deny, 'policy.deny', errors) };
  return errors.length > 0 ? err(errors) : ok(policy);
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

function namespaceMatches(namespace: string, listed: string): boolean {
  return namespace === listed || namespace.startsWith(`${listed}.`);
}

function registryTypesOf(server: ServerJson): string[] {
  const types = new Set<string>();
  for (const p of server.packages ?? []) if (typeof p?.registryType === 'string') types.add(p.registryType.toLowerCase());
  if ((server.remotes ?? []).length > 0) types.add('remote');
  return [...types].sort();
}

/** Decides one entry; `status` is its (upstream) lifecycle status, `active` when unknown. */
export function evaluatePolicy(policy: Policy, server: ServerJson, status: ServerStatus = 'active'): PolicyDecision {
  const name = server.name.toLowerCase();
  const namespace = name.slice(0, name.indexOf('/'));
  const types = registryTypesOf(server);
  const { allow, deny } = policy;
  if (deny.namespaces?.some((n) => namespaceMatches(namespace, n)))
    return { allowed: false, reason: `namespace '${namespace}' is denied by policy.deny.namespaces` };
  const deniedName = deny.names?.find((g) => globToRegExp(g).test(name));
  if (deniedName !== undefined) return { allowed: false, reason: `name matches policy.deny.names '${deniedName}'` };
  const deniedType = types.find((t) => deny.registryTypes?.includes(t));
  if (deniedType !== undefined) return { allowed: false, reason: `registryType '${deniedType}' is denied by policy.deny.registryTypes` };
  if (deny.statuses?.includes(status)) return { allowed: false, reason: `status '${status}' is denied by policy.deny.statuses` };
  if (allow.namespaces && !allow.namespaces.some((n) => namespaceMatches(namespace, n))) {
    return { allowed: false, reason: `namespace '${namespace}' is not in policy.allow.namespaces` };
  }
  if (allow.names && !allow.names.some((g) => globToRegExp(g).test(name))) return { allowed: false, reason: 'name matches no pattern in policy.allow.names' };
  const registryTypes = allow.registryTypes;
  const unlisted = registryTypes ? types.find((t) => !registryTypes.includes(t)) : undefined;
  if (unlisted !== undefined) return { allowed: false, reason: `registryType '${unlisted}' is not in policy.allow.registryTypes` };
  if (allow.statuses && !allow.statuses.includes(status)) return { allowed: false, reason: `status '${status}' is not in policy.allow.statuses` };
  return { allowed: true };
}

/** A predicate for build and sync: keeps an entry when the policy allows it. */
export function policyPredicate(policy: Policy): (server: ServerJson, status?: ServerStatus) => boolean {
  return (server, status) => evaluatePolicy(policy, server, status).allowed;
}
