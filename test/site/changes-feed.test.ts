import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { listChanges, renderAtomFeed, withRenames } from '../../scripts/site/changes-feed.ts';
import type { ChangeEntry } from '../../scripts/site/changes-feed.ts';
import { serverSlug } from '../../scripts/site/server-slug.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';

const responses = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const changes = listChanges(serverViewsFromResponses(responses), 100);

describe('changes and Atom feed', () => {
  it('lists changes newest first', () => {
    expect(changes[0]).toMatchObject({ kind: 'deprecated', name: 'io.github.old/legacy-search', date: '2025-10-09T10:00:00Z' });
  });

  it('calls the first version of a server new and later ones updated', () => {
    const weather = changes.filter((c) => c.name === 'io.github.acme/weather' && c.kind !== 'removed').map((c) => [c.version, c.kind]);
    expect(weather).toEqual([
      ['1.2.0', 'updated'],
      ['1.1.0', 'new'],
    ]);
  });

  it('lists a deleted version only as removed, with its message and without its title or description', () => {
    const gone = changes.filter((c) => c.name === 'io.github.gone/vanished');
    expect(gone.length).toBeGreaterThan(0);
    for (const c of gone) expect(c).toMatchObject({ kind: 'removed', title: 'io.github.gone/vanished', description: '' });
    expect(changes.filter((c) => c.version === '1.0.5').map((c) => c.kind)).toEqual(['removed']);
  });

  it('puts removals in the feed with the removal message as summary', () => {
    const feed = renderAtomFeed(changes, { siteUrl: 'https://r.example', title: 'R' });
    expect(feed).toContain('<title>Removed: io.github.gone/vanished');
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

describe('renames and transfers in the changes', () => {
  const at = '2026-05-01T00:00:00Z';
  it('words a rename inside a namespace, and a move to another namespace as a transfer', () => {
    const [rename, transfer, decided] = withRenames(
      [],
      [
        { from: 'io.github.alice/old', to: 'io.github.alice/new', renamedAt: at, renamedBy: 'owner' },
        { from: 'io.github.alice/tool', to: 'com.acme/tool', renamedAt: '2026-04-01T00:00:00Z', renamedBy: 'owner' },
        { from: 'io.github.gone/x', to: 'io.github.heir/x', renamedAt: '2026-03-01T00:00:00Z', renamedBy: 'maintainer', reason: 'account deleted, see #12.' },
      ],
      10,
    );
    expect(rename).toMatchObject({ kind: 'renamed', name: 'io.github.alice/new', renamedFrom: 'io.github.alice/old' });
    expect(rename?.description).toBe("io.github.alice/old was renamed to io.github.alice/new; the old name answers with the new name's entries.");
    expect(transfer).toMatchObject({ kind: 'transferred', renamedFrom: 'io.github.alice/tool' });
    expect(transfer?.description).toBe(
      "io.github.alice/tool was transferred to the namespace com.acme as com.acme/tool, with its old owner's consent; the old name answers with the new name's entries.",
    );
    expect(decided?.description).toBe(
      "io.github.gone/x was transferred to the namespace io.github.heir as io.github.heir/x; the old name answers with the new name's entries. A maintainer decided it: account deleted, see #12.",
    );
    const feed = renderAtomFeed([transfer as ChangeEntry], { siteUrl: 'https://r.example', title: 'R' });
    expect(feed).toContain('<title>Moved to a new owner: io.github.alice/tool → com.acme/tool</title>');
    expect(feed).toContain(`<id>https://r.example/servers/${serverSlug('com.acme/tool')}/#transferred-io.github.alice%2Ftool</id>`);
  });
});
