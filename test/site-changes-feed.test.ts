import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../scripts/core/api-types.ts';
import { listChanges, renderAtomFeed } from '../scripts/site/changes-feed.ts';
import { serverViewsFromResponses } from '../scripts/catalog/server-view.ts';
import { summarizeServers } from '../scripts/catalog/server-summary.ts';

const responses = JSON.parse(readFileSync(new URL('fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const changes = listChanges(summarizeServers(serverViewsFromResponses(responses)), 100);

describe('changes and Atom feed', () => {
  it('lists changes newest first', () => {
    expect(changes[0]).toMatchObject({ kind: 'deprecated', name: 'io.github.old/legacy-search', date: '2025-10-09T10:00:00Z' });
  });

  it('calls the first version of a server new and later ones updated', () => {
    const weather = changes.filter((c) => c.name === 'io.github.acme/weather').map((c) => [c.version, c.kind]);
    expect(weather).toEqual([['1.2.0', 'updated'], ['1.1.0', 'new']]);
  });

  it('never lists deleted versions or servers', () => {
    expect(changes.some((c) => c.name === 'io.github.gone/vanished' || c.version === '1.0.5')).toBe(false);
  });

  it('escapes markup from server.json in the feed', () => {
    const feed = renderAtomFeed(changes, { siteUrl: 'https://r.example/', title: 'R' });
    expect(feed).not.toContain('<script>');
    expect(feed).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('dates the feed by its newest entry', () => {
    const feed = renderAtomFeed(changes, { siteUrl: 'https://r.example', title: 'R' });
    expect(feed.indexOf('<updated>2025-10-09T10:00:00Z</updated>')).toBeLessThan(feed.indexOf('<entry>'));
  });

  it('links entries to the server pages under the site URL', () => {
    expect(renderAtomFeed(changes, { siteUrl: 'https://r.example', title: 'R' })).toContain(
      '<link href="https://r.example/servers/io.github.old/legacy-search/"/>',
    );
  });

  it('writes a valid empty feed for a catalog of zero servers', () => {
    const feed = renderAtomFeed(listChanges([], 50), { siteUrl: 'https://r.example', title: 'R' });
    expect(feed).toContain('<updated>1970-01-01T00:00:00Z</updated>');
    expect(feed).not.toContain('<entry>');
  });
});
