import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, parseRegistryConfig, withEndpointOverrides } from '../../scripts/config/registry-config.ts';

describe('registry config', () => {
  it('uses the defaults when there is no file', () => {
    expect(parseRegistryConfig(undefined)).toEqual(DEFAULT_CONFIG);
  });

  it('keeps the official allow-list for registry types the file does not name', () => {
    const config = parseRegistryConfig({ allowedRegistries: { npm: ['https://npm.example.internal'] } });
    expect(config.allowedRegistries.npm).toEqual(['https://npm.example.internal']);
    expect(config.allowedRegistries.pypi).toEqual(['https://pypi.org']);
  });

  it('lower-cases blocked namespaces and strips a trailing slash from baseUrl', () => {
    const config = parseRegistryConfig({ blockedNamespaces: ['Com.Evil'], baseUrl: 'https://r.example.com/' });
    expect(config.blockedNamespaces).toEqual(['com.evil']);
    expect(config.baseUrl).toBe('https://r.example.com');
  });

  it('keeps unknown sections for the stages that own them', () => {
    expect(parseRegistryConfig({ upstreams: [{ url: 'https://x' }] }).extra).toEqual({
      upstreams: [{ url: 'https://x' }],
    });
  });

  it("rejects a metaNamespace in the official registry's reserved _meta keys", () => {
    expect(() => parseRegistryConfig({ metaNamespace: 'io.modelcontextprotocol.registry/official' })).toThrow(/reserved for the official registry/);
    expect(() => parseRegistryConfig({ metaNamespace: 'io.modelcontextprotocol.registry/publisher-provided' })).toThrow(ConfigError);
  });

  it('rejects an unknown endpoint type and names the valid ones', () => {
    expect(() => parseRegistryConfig({ endpoints: { ftp: 'x' } })).toThrow(/npm, pypi, nuget, cargo, oci, github, dns, http/);
    expect(() => withEndpointOverrides(DEFAULT_CONFIG, ['npm'])).toThrow(ConfigError);
  });

  it('reads maintainers as GitHub logins and org/team-slug teams', () => {
    expect(parseRegistryConfig({ maintainers: ['alice', 'reg-org/registry-maintainers'] }).maintainers).toEqual(['alice', 'reg-org/registry-maintainers']);
    expect(parseRegistryConfig({ maintainers: ['alice'] }).extra).toEqual({});
    expect(DEFAULT_CONFIG.maintainers).toEqual([]);
  });

  it('rejects a maintainers entry that is neither a login nor a team', () => {
    expect(() => parseRegistryConfig({ maintainers: 'alice' })).toThrow(/'maintainers' must be a list/);
    expect(() => parseRegistryConfig({ maintainers: ['@alice'] })).toThrow(/neither a GitHub login \(alice\) nor a team/);
    expect(() => parseRegistryConfig({ maintainers: ['org/team/extra'] })).toThrow(ConfigError);
    expect(() => parseRegistryConfig({ maintainers: ['-bad'] })).toThrow(ConfigError);
  });

  it('applies --endpoint overrides', () => {
    const config = withEndpointOverrides(DEFAULT_CONFIG, ['npm=http://127.0.0.1:4873', 'dns=127.0.0.1:5353']);
    expect(config.endpoints.npm).toBe('http://127.0.0.1:4873');
    expect(config.endpoints.dns).toBe('127.0.0.1:5353');
    expect(DEFAULT_CONFIG.endpoints.npm).toBe('https://registry.npmjs.org');
  });
});
