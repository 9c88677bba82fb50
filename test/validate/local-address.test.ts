import { describe, expect, it } from 'vitest';
import { isLocalHost } from '../../scripts/validate/rules/local-address.ts';

describe('local addresses in remote URLs', () => {
  it.each(['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a00:1', '::ffff:c0a8:101'])('refuses the IPv4-mapped private address %s', (host) => {
    expect(isLocalHost(host)).toBe(true);
  });

  it('refuses the mapped loopback the way URL parsing spells it', () => {
    expect(isLocalHost(new URL('https://[::ffff:127.0.0.1]/mcp').hostname.replace(/^\[|\]$/g, ''))).toBe(true);
  });

  it('accepts a mapped public address', () => {
    expect(isLocalHost('::ffff:808:808')).toBe(false);
  });
});
