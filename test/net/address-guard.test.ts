import { describe, expect, it } from 'vitest';
import { isNonPublicAddress } from '../../scripts/net/address-guard.ts';
import { createTrust } from '../../scripts/net/guarded-agent.ts';

describe('non-public addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '[::1]',
  ])('refuses %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111', '172.32.0.1'])('allows %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

describe('trusted endpoints', () => {
  const trust = createTrust(['http://127.0.0.1:4873', 'https://npm.internal.example']);

  it('trusts the exact origin of a configured endpoint', () => {
    expect(trust.isTrustedUrl(new URL('http://127.0.0.1:4873/pkg'))).toBe(true);
  });

  it('does not trust another port on the same address', () => {
    expect(trust.isTrustedUrl(new URL('http://127.0.0.1:9999/'))).toBe(false);
  });

  it('does not trust plain http to an https endpoint', () => {
    expect(trust.isTrustedUrl(new URL('http://npm.internal.example/'))).toBe(false);
  });
});
