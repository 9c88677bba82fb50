import { describe, expect, it } from 'vitest';
import type { ServerJson } from '../../scripts/core/api-types.ts';
import { compilePolicy, evaluatePolicy } from '../../scripts/policy/policy.ts';
import type { Policy } from '../../scripts/policy/policy.ts';
import { precedenceConflict, parseUpstreams, upstreamRank } from '../../scripts/policy/upstreams.ts';

const npmServer = (name: string): ServerJson => ({
  name,
  description: 'd',
  version: '1.0.0',
  packages: [{ registryType: 'npm', identifier: 'x', transport: { type: 'stdio' } }],
});
const remoteServer: ServerJson = {
  name: 'com.example/remote',
  description: 'd',
  version: '1.0.0',
  remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com' }],
};

function policy(raw: unknown): Policy {
  const result = compilePolicy(raw);
  if (!result.ok) throw new Error(result.error.join('; '));
  return result.value;
}

describe('policy', () => {
  it('allows everything when there is no policy section', () => {
    expect(evaluatePolicy(policy(undefined), npmServer('io.github.a/b'))).toEqual({ allowed: true });
  });

  it('denies a namespace and its sub-namespaces, case-insensitively', () => {
    const p = policy({ deny: { namespaces: ['Com.Evil'] } });
    expect(evaluatePolicy(p, npmServer('com.evil/x')).allowed).toBe(false);
    expect(evaluatePolicy(p, npmServer('com.evil.sub/x')).allowed).toBe(false);
    expect(evaluatePolicy(p, npmServer('com.evilcorp/x')).allowed).toBe(true);
  });

  it('keeps only allowed namespaces when an allow list is given', () => {
    const p = policy({ allow: { namespaces: ['io.github'] } });
    expect(evaluatePolicy(p, npmServer('io.github.acme/x')).allowed).toBe(true);
    expect(evaluatePolicy(p, npmServer('com.acme/x'))).toEqual({ allowed: false, reason: "namespace 'com.acme' is not in policy.allow.namespaces" });
  });

  it('matches name globs against the whole name', () => {
    const p = policy({ deny: { names: ['*/test-*'] } });
    expect(evaluatePolicy(p, npmServer('io.github.a/test-server')).allowed).toBe(false);
    expect(evaluatePolicy(p, npmServer('io.github.a/my-test-server')).allowed).toBe(true);
  });

  it('filters by registry type, treating remotes as the type remote', () => {
    const p = policy({ allow: { registryTypes: ['npm'] } });
    expect(evaluatePolicy(p, npmServer('io.github.a/b')).allowed).toBe(true);
    expect(evaluatePolicy(p, remoteServer)).toEqual({ allowed: false, reason: "registryType 'remote' is not in policy.allow.registryTypes" });
  });

  it('filters by upstream status', () => {
    const p = policy({ deny: { statuses: ['deleted'] } });
    expect(evaluatePolicy(p, npmServer('io.github.a/b'), 'deleted').allowed).toBe(false);
    expect(evaluatePolicy(p, npmServer('io.github.a/b'), 'deprecated').allowed).toBe(true);
  });

  it('reports unknown keys and bad statuses in the policy section', () => {
    const result = compilePolicy({ allow: { colours: ['red'] }, deny: { statuses: ['gone'] }, extra: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual([
      'policy.extra is unknown; expected allow or deny',
      'policy.allow.colours is not a policy list; expected one of namespaces, names, registryTypes, statuses',
      'policy.deny.statuses has gone; expected active, deprecated, deleted',
    ]);
  });
});

describe('upstream precedence', () => {
  const upstreams = [{ url: 'https://registry.modelcontextprotocol.io' }, { url: 'https://partner.example/v0.1' }];

  it('ranks listed upstreams in order, ignoring the API version suffix, and unlisted ones last', () => {
    expect(upstreamRank(upstreams, 'https://registry.modelcontextprotocol.io/v0.1')).toBe(0);
    expect(upstreamRank(upstreams, 'https://partner.example')).toBe(1);
    expect(upstreamRank(upstreams, 'https://other.example')).toBe(2);
  });

  it('lets a higher-ranked upstream take over a name, never a lower-ranked one', () => {
    expect(
      precedenceConflict(upstreams, 'https://registry.modelcontextprotocol.io/v0.1', { kind: 'upstream', url: 'https://partner.example/v0.1' }),
    ).toBeUndefined();
    expect(precedenceConflict(upstreams, 'https://partner.example/v0.1', { kind: 'upstream', url: 'https://registry.modelcontextprotocol.io/v0.1' })).toMatch(
      /ranks above/,
    );
  });

  it('never overrides names written in the repository', () => {
    expect(precedenceConflict(upstreams, 'https://registry.modelcontextprotocol.io', { kind: 'local' })).toMatch(/written in this repository/);
  });

  it('rejects upstreams without an http(s) URL', () => {
    expect(parseUpstreams([{ url: 'ftp://x' }])).toEqual({ ok: false, error: ['upstreams[0].url must be an http(s) URL'] });
  });
});
