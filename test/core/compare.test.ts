import { describe, expect, it } from 'vitest';
import { canonicalInstant, compareInstants, compareStrings, instantKey } from '../../scripts/core/compare.ts';
import { parseUpstreamState } from '../../scripts/state/state-files.ts';
import { changesBody } from '../../scripts/emit/api-emitter.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ServerListResponse, ServerResponse } from '../../scripts/core/api-types.ts';
import { apiDataFromResponses } from '../../scripts/api/api-data.ts';
import { route } from '../../scripts/api/router.ts';

/** Values as the official registry answered them on 2025-10-10 (microseconds, trailing zeros trimmed). */
const OFFICIAL_PUBLISHED = '2025-09-08T23:47:09.452138Z';

function response(version: string, publishedAt: string, updatedAt = publishedAt): ServerResponse {
  return {
    server: { name: 'app.example/dialer', description: 'd', version },
    _meta: { [OFFICIAL_META_KEY]: { status: 'active', statusChangedAt: publishedAt, publishedAt, updatedAt, isLatest: false } },
  };
}

describe('compareStrings', () => {
  it('orders by UTF-16 code units, not by locale: upper case before lower, ASCII before accents', () => {
    expect(['b', 'a', 'B', 'é', 'e'].sort(compareStrings)).toEqual(['B', 'a', 'b', 'e', 'é']);
    expect(compareStrings('x', 'x')).toBe(0);
  });
});

describe('instants', () => {
  it('keeps an upstream date at the precision the official registry wrote it', () => {
    const state = parseUpstreamState(
      `upstream: file:x.json\nversions:\n  1.0.0:\n    publishedAt: ${OFFICIAL_PUBLISHED}\n    updatedAt: 2025-09-09T00:16:49.16262Z\n`,
    );
    expect(state.value?.versions?.['1.0.0']).toEqual({ publishedAt: OFFICIAL_PUBLISHED, updatedAt: '2025-09-09T00:16:49.16262Z' });
  });

  it('writes millisecond and coarser dates, and offsets, as toISOString does', () => {
    expect(canonicalInstant('2025-09-08T23:47:09Z')).toBe('2025-09-08T23:47:09.000Z');
    expect(canonicalInstant('2025-09-09T01:47:09.45+02:00')).toBe('2025-09-08T23:47:09.450Z');
    expect(canonicalInstant('2025-09-09T01:47:09.4521+02:00')).toBe('2025-09-08T23:47:09.4521Z');
    expect(canonicalInstant('yesterday')).toBeUndefined();
  });

  it('orders dates of different precision as times, not as strings', () => {
    // As strings, "…09.45213Z" sorts after "…09.452138Z".
    expect(compareInstants('2025-09-08T23:47:09.45213Z', OFFICIAL_PUBLISHED)).toBeLessThan(0);
    expect(compareInstants('2025-09-08T23:47:09Z', '2025-09-08T23:47:09.5Z')).toBeLessThan(0);
    expect(compareInstants('2025-09-08T23:47:09.452Z', '2025-09-08T23:47:09.452000Z')).toBe(0);
    expect(instantKey('2025-09-09T01:47:09+02:00')).toBe('2025-09-08T23:47:09.000000000');
  });

  it('answers updated_since strictly after a microsecond time within the same millisecond', () => {
    const data = apiDataFromResponses([response('1.0.0', '2025-09-08T23:47:09.452138Z')]);
    const list = (since: string) => {
      const r = route({ method: 'GET', url: `/v0.1/servers?updated_since=${encodeURIComponent(since)}` }, data);
      return r.kind === 'body' ? (JSON.parse(r.body) as ServerListResponse).servers.length : -1;
    };
    expect(list('2025-09-08T23:47:09.4521Z')).toBe(1);
    expect(list(OFFICIAL_PUBLISHED)).toBe(0);
  });

  it('lists versions newest first and changes oldest first across precisions', () => {
    const data = apiDataFromResponses([response('a', '2025-09-08T23:47:09.452138Z'), response('b', '2025-09-08T23:47:09.45213Z')]);
    const r = route({ method: 'GET', url: '/v0.1/servers/app.example%2Fdialer/versions' }, data);
    const versions = r.kind === 'body' ? (JSON.parse(r.body) as ServerListResponse).servers.map((s) => s.server.version) : [];
    expect(versions).toEqual(['a', 'b']);
    const changes = JSON.parse(changesBody(data.all)) as { changes: { version: string }[] };
    expect(changes.changes.map((c) => c.version)).toEqual(['b', 'a']);
  });
});
