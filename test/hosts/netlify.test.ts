import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ServerListResponse } from '../../scripts/core/api-types.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

interface Rule {
  path: string[];
  params: [string, string][];
  to: string;
}

function parseRules(text: string): Rule[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((line) => {
      const parts = line.trim().split(/\s+/);
      const status = parts.pop();
      expect(status).toBe('200');
      const to = parts.pop() as string;
      const [path, ...params] = parts;
      return { path: (path as string).split('/'), params: params.map((p) => p.split('=') as [string, string]), to };
    });
}

/** Netlify's documented matching: first rule whose path and named query parameters all match. */
function resolveRule(rules: Rule[], url: string): string | undefined {
  const u = new URL(url, 'http://x');
  const segments = u.pathname.split('/');
  for (const rule of rules) {
    if (rule.path.length !== segments.length) continue;
    const vars: Record<string, string> = {};
    const pathOk = rule.path.every((p, i) => {
      if (!p.startsWith(':')) return p === segments[i];
      vars[p] = decodeURIComponent(segments[i] as string);
      return true;
    });
    if (!pathOk) continue;
    const paramsOk = rule.params.every(([k, v]) => {
      const got = u.searchParams.get(k);
      if (got === null) return false;
      if (v.startsWith(':')) {
        vars[v] = got;
        return true;
      }
      return got === v;
    });
    if (paramsOk) return rule.to.replace(/:[a-z]+/g, (m) => vars[m] ?? m);
  }
  return undefined;
}

describe('build --host netlify', () => {
  let dist: string;
  let rules: Rule[];
  beforeAll(async () => {
    dist = (await buildFixture(fixtureRoot(120), 'netlify')).dist;
    rules = parseRules(readFileSync(join(dist, '_redirects'), 'utf8'));
  });

  function follow(query: string, limit: number): string[] {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 1000; i += 1) {
      const file = resolveRule(rules, `/v0.1/servers?${query}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(file).toBeDefined();
      const page = JSON.parse(readFileSync(join(dist, file as string), 'utf8')) as ServerListResponse;
      expect(page.servers.length).toBeLessThanOrEqual(limit);
      seen.push(...page.servers.map((s) => `${s.server.name}@${s.server.version}`));
      cursor = page.metadata.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('no end');
  }

  it.each([1, 7, 30, 100])('maps a cursor-following client with limit %i onto page files that list every entry once', (limit) => {
    const all = (JSON.parse(gunzipSync(readFileSync(join(dist, 'v0.1/snapshot.json.gz'))).toString()) as ServerListResponse).servers;
    const visible = all.filter((s) => s._meta[OFFICIAL_META_KEY].status !== 'deleted').map((s) => `${s.server.name}@${s.server.version}`);
    expect(follow('', limit)).toEqual(visible);
  });

  it('sends version=latest to the latest pages before the general rule', () => {
    expect(resolveRule(rules, '/v0.1/servers?version=latest&limit=7')).toBe('/v0.1/pages/latest/1/first.json');
    expect(resolveRule(rules, '/v0/servers?include_deleted=true')).toBe('/v0.1/pages/all/30/first.json');
  });

  it('rewrites per-server paths to their files', () => {
    const file = resolveRule(rules, '/v0.1/servers/com.example/weather/versions/1.1.0');
    expect(JSON.parse(readFileSync(join(dist, file as string), 'utf8')).server.version).toBe('1.1.0');
  });

  it('rewrites health, ping and version under /v0.1 and /v0 to their files', () => {
    for (const path of ['/v0.1/health', '/v0/ping', '/v0.1/version']) {
      const file = resolveRule(rules, path);
      expect(file, path).toBe(`/v0.1/${path.split('/')[2]}.json`);
      expect(() => JSON.parse(readFileSync(join(dist, file as string), 'utf8'))).not.toThrow();
    }
  });

  it('sets CORS headers for every path', () => {
    expect(readFileSync(join(dist, '_headers'), 'utf8')).toMatch(/^\/\*\n {2}Access-Control-Allow-Origin: \*/);
  });
});
