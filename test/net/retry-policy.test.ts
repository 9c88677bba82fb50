import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from '../../scripts/net/retry-policy.ts';

describe('retry policy', () => {
  it('reads Retry-After in seconds', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
  });

  it('reads Retry-After as an HTTP date relative to now', () => {
    const now = Date.parse('Tue, 24 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5000);
  });

  it('ignores an unreadable Retry-After', () => {
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  it('keeps jittered backoff within base·2^attempt', () => {
    expect(backoffDelay(3, 100, () => 0.999)).toBeLessThanOrEqual(800);
    expect(backoffDelay(3, 100, () => 0)).toBe(1);
  });

  it('retries 429 and 503 but not 404', () => {
    expect([429, 503, 404].map(isRetryableStatus)).toEqual([true, true, false]);
  });
});
