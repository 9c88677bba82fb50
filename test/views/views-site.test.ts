/**
 * Each view gets the site too, below its own path: its header names the view, its pages link within
 * it, and a server's page lists who approved the version and when (the approved list in `_meta`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { defaultEmitters } from '../../scripts/emit/emitters.ts';
import { serverSlug } from '../../scripts/site/server-slug.ts';
import { fixtureRoot, sortedPathDates } from '../fixtures/api/build-fixture.ts';

let dist: string;

beforeAll(async () => {
  const root = fixtureRoot();
  writeFileSync(join(root, 'registry/approved.yaml'), 'com.example/weather:\n  - versions: ["1.0.0"]\n    by: alice\n    at: "2026-11-30T10:00:00Z"\n');
  const config = structuredClone(DEFAULT_CONFIG);
  config.baseUrl = 'https://mcp.acme.example';
  config.extra = { views: [{ name: 'production', title: 'Approved for production', approved: true }] };
  dist = join(root, 'dist');
  const result = await buildRegistry({ root, config, out: dist, dates: sortedPathDates, emitters: defaultEmitters });
  if (!result.written) throw new Error(JSON.stringify(result.report.files.filter((f) => !f.ok)));
}, 180_000);

const page = (path: string) => readFileSync(join(dist, path), 'utf8');

describe('the site of a view', () => {
  it('names the view in its header and title, and the registry’s own site does not', () => {
    const view = page('views/production/index.html');
    expect(view).toMatch(/<a class="brand" href="\/views\/production\/">mcp-static-registry · Approved for production<\/a>/);
    expect(view).toMatch(/<title>[^<]*Approved for production[^<]*<\/title>/);
    expect(page('index.html')).not.toMatch(/Approved for production/);
  });

  it('links and loads everything below the view’s path', () => {
    const view = page('views/production/index.html');
    const links = [...view.matchAll(/(?:href|src)="(\/[^"]*)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !l.startsWith('/views/production/'))).toEqual([]);
  });

  it('lists only the view’s servers, and who approved the version on its page', () => {
    const slug = serverSlug('com.example/weather');
    const server = page(`views/production/servers/${slug}/index.html`);
    expect(server).toMatch(/approved\.by/);
    expect(server).toMatch(/alice/);
    expect(server).toMatch(/2026-11-30T10:00:00\.000Z/);
    expect(() => page(`views/production/servers/${serverSlug('com.example/calendar')}/index.html`)).toThrow();
    // The registry's own page shows its latest version, 2.0.0-beta.1, which nobody approved.
    expect(page(`servers/${slug}/index.html`)).not.toMatch(/approved\.by/);
  });
});
