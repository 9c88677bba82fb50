/**
 * The changes page and its Atom feed: new servers, new versions, deprecations and removals,
 * newest first. A removed (deleted) version is listed by name, version and the removal's message
 * only: its title and description may be why it was removed. The feed's own `updated` is the
 * newest entry's date, so the same catalog always gives the same bytes.
 */
import { compareInstants, compareStrings } from '../core/compare.ts';
import { text } from '../catalog/server-summary.ts';
import type { ServerView } from '../catalog/server-view.ts';
import { serverSlug } from './server-slug.ts';

export type ChangeKind = 'new' | 'updated' | 'deprecated' | 'removed';

export interface ChangeEntry {
  kind: ChangeKind;
  name: string;
  slug: string;
  title: string;
  version: string;
  description: string;
  date: string;
  statusMessage?: string;
}

/**
 * Pure: changes newest first, ties by name; within one server and instant, the catalog's order
 * (the sort is stable and each server's changes go in newest version first).
 */
export function listChanges(views: readonly ServerView[], limit: number): ChangeEntry[] {
  const out: ChangeEntry[] = [];
  for (const { name, versions } of views) {
    const live = versions.filter((v) => v.official.status !== 'deleted');
    const oldest = live[live.length - 1];
    for (const { response, official: meta } of versions) {
      const server = response.server;
      const version = text(server.version);
      const slug = serverSlug(name);
      const message = typeof meta.statusMessage === 'string' ? { statusMessage: meta.statusMessage } : {};
      if (meta.status === 'deleted') {
        out.push({ kind: 'removed', name, slug, title: name, version, description: '', date: text(meta.statusChangedAt) || text(meta.updatedAt), ...message });
        continue;
      }
      const base = { name, slug, title: text(server.title).trim() || name, version, description: text(server.description) };
      out.push({ ...base, kind: oldest?.response === response ? 'new' : 'updated', date: text(meta.publishedAt) });
      if (meta.status === 'deprecated') out.push({ ...base, kind: 'deprecated', date: text(meta.statusChangedAt) || text(meta.updatedAt), ...message });
    }
  }
  out.sort((a, b) => compareInstants(b.date, a.date) || compareStrings(a.name, b.name));
  return out.slice(0, limit);
}

export function escapeXml(value: string): string {
  // Characters XML 1.0 forbids would make the whole feed unreadable; drop them.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters XML 1.0 forbids
  const clean = value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export const KIND_WORDS: Record<ChangeKind, string> = { new: 'New server', updated: 'New version', deprecated: 'Deprecated', removed: 'Removed' };

/** Pure: an Atom 1.0 document for `entries`; `siteUrl` is the registry's public base URL. */
export function renderAtomFeed(entries: readonly ChangeEntry[], options: { siteUrl: string; title: string }): string {
  const site = options.siteUrl.replace(/\/+$/, '');
  const updated = entries[0]?.date || '1970-01-01T00:00:00Z';
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${escapeXml(`${options.title}: changes`)}</title>`,
    `  <id>${escapeXml(`${site}/changes/`)}</id>`,
    `  <link rel="self" href="${escapeXml(`${site}/feed.xml`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(`${site}/changes/`)}"/>`,
    `  <updated>${escapeXml(updated)}</updated>`,
  ];
  for (const entry of entries) {
    const url = `${site}/servers/${entry.slug}/`;
    const summary =
      entry.kind === 'removed'
        ? (entry.statusMessage ?? 'Removed from the registry.')
        : entry.kind === 'deprecated' && entry.statusMessage
          ? `${entry.description} (${entry.statusMessage})`
          : entry.description;
    lines.push(
      '  <entry>',
      `    <title>${escapeXml(`${KIND_WORDS[entry.kind]}: ${entry.title} ${entry.version}`)}</title>`,
      `    <id>${escapeXml(`${url}#${entry.kind}-${encodeURIComponent(entry.version)}`)}</id>`,
      `    <link href="${escapeXml(url)}"/>`,
      `    <updated>${escapeXml(entry.date)}</updated>`,
      `    <author><name>${escapeXml(entry.name.slice(0, entry.name.indexOf('/') === -1 ? undefined : entry.name.indexOf('/')))}</name></author>`,
      `    <summary type="text">${escapeXml(summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
