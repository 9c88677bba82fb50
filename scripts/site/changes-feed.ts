/**
 * The changes page and its Atom feed: new servers, new versions, deprecations, removals,
 * renames, transfers and tool changes a re-inspection found in a published version (tool pinning), newest first. A removed (deleted) version is listed by name, version and the removal's message
 * only: its title and description may be why it was removed. The feed's own `updated` is the
 * newest entry's date, so the same catalog always gives the same bytes.
 */
import { compareInstants, compareStrings } from '../core/compare.ts';
import { text } from '../catalog/server-summary.ts';
import type { ServerView } from '../catalog/server-view.ts';
import { serverSlug } from './server-slug.ts';
import { versionInspection } from './site-model.ts';
import type { ToolChangeEvent } from './site-model.ts';

export type ChangeKind = 'new' | 'updated' | 'deprecated' | 'removed' | 'tools-changed' | 'renamed' | 'transferred';

/** Which tools a re-inspection of the same version found added, removed or changed (by name, sorted). */
export interface ToolChangeNames {
  added: string[];
  removed: string[];
  changed: string[];
  /** How many there were, when the lists carry only the first names (default: the lists' lengths). */
  counts?: { added: number; removed: number; changed: number };
}

export interface ChangeEntry {
  kind: ChangeKind;
  name: string;
  slug: string;
  title: string;
  version: string;
  description: string;
  date: string;
  statusMessage?: string;
  /** Only on `tools-changed` entries. */
  tools?: ToolChangeNames;
  /** Only on `renamed` and `transferred` entries (`name` is the new name): the old name, which now answers with the new one's. */
  renamedFrom?: string;
}

/** A rename the build followed (registry/renames, as the API answers it). */
export interface RenameChange {
  from: string;
  to: string;
  renamedAt: string;
  /** Who recorded it: the owner (both names' owners consented), or a maintainer deciding a transfer. */
  renamedBy?: 'owner' | 'maintainer';
  /** The maintainer's recorded reason. */
  reason?: string;
}

const namespaceOf = (name: string): string => name.slice(0, name.indexOf('/')).toLowerCase();

/** Pure: the words of one rename, or of a transfer when the server moved to another namespace (a new owner). */
function renameChange(r: RenameChange): ChangeEntry {
  const moved = namespaceOf(r.from) !== namespaceOf(r.to);
  const why = r.renamedBy === 'maintainer' ? ` A maintainer decided it${r.reason === undefined ? '' : `: ${r.reason.trim().replace(/[.]+$/, '')}`}.` : '';
  const what = moved
    ? `${r.from} was transferred to the namespace ${namespaceOf(r.to)} as ${r.to}${r.renamedBy === 'owner' ? ", with its old owner's consent" : ''}`
    : `${r.from} was renamed to ${r.to}`;
  return {
    kind: moved ? 'transferred' : 'renamed',
    name: r.to,
    slug: serverSlug(r.to),
    title: `${r.from} → ${r.to}`,
    version: '',
    description: `${what}; the old name answers with the new name's entries.${why}`,
    date: r.renamedAt,
    renamedFrom: r.from,
  };
}

/**
 * Pure: `changes` with one `renamed` entry per rename, newest first (ties by name, as listChanges orders),
 * cut to `limit`. The entry links to the new name's page.
 */
export function withRenames(changes: readonly ChangeEntry[], renames: readonly RenameChange[], limit: number): ChangeEntry[] {
  if (renames.length === 0) return [...changes];
  const renamed = renames.map(renameChange);
  return [...changes, ...renamed].sort((a, b) => compareInstants(b.date, a.date) || compareStrings(a.name, b.name)).slice(0, limit);
}

const sortedUnique = (lists: string[][]): string[] => [...new Set(lists.flat())].sort(compareStrings);

/**
 * Pure: changes newest first, ties by name; within one server and instant, the catalog's order
 * (the sort is stable and each server's changes go in newest version first).
 */
export function listChanges(views: readonly ServerView[], limit: number, options: { metaNamespace?: string } = {}): ChangeEntry[] {
  const out: ChangeEntry[] = [];
  for (const { name, versions } of views) {
    const live = versions.filter((v) => v.official.status !== 'deleted');
    const oldest = live[live.length - 1];
    const slug = serverSlug(name);
    for (const view of versions) {
      const { response, official: meta } = view;
      const server = response.server;
      const version = text(server.version);
      const message = typeof meta.statusMessage === 'string' ? { statusMessage: meta.statusMessage } : {};
      if (meta.status === 'deleted') {
        out.push({ kind: 'removed', name, slug, title: name, version, description: '', date: text(meta.statusChangedAt) || text(meta.updatedAt), ...message });
        continue;
      }
      const base = { name, slug, title: text(server.title).trim() || name, version, description: text(server.description) };
      out.push({ ...base, kind: oldest?.response === response ? 'new' : 'updated', date: text(meta.publishedAt) });
      if (meta.status === 'deprecated') out.push({ ...base, kind: 'deprecated', date: text(meta.statusChangedAt) || text(meta.updatedAt), ...message });
      // Every recorded tool change (the last 10 of each endpoint), one entry per detection: endpoints
      // found changed in the same run share its instant, and their names are merged.
      const events = options.metaNamespace ? (versionInspection(view, options.metaNamespace)?.toolChangeHistory ?? []) : [];
      const byDate = new Map<string, ToolChangeEvent[]>();
      for (const e of events) byDate.set(e.detectedAt, [...(byDate.get(e.detectedAt) ?? []), e]);
      for (const [date, group] of byDate) {
        const merged = (key: 'added' | 'removed' | 'changed') => {
          const list = sortedUnique(group.map((n) => n[key]));
          return { list, count: Math.max(list.length, ...group.map((n) => n.counts[key])) };
        };
        const [added, removed, changed] = [merged('added'), merged('removed'), merged('changed')];
        const tools = {
          added: added.list,
          removed: removed.list,
          changed: changed.list,
          ...(added.count + removed.count + changed.count > added.list.length + removed.list.length + changed.list.length
            ? { counts: { added: added.count, removed: removed.count, changed: changed.count } }
            : {}),
        };
        out.push({ ...base, kind: 'tools-changed', date, tools });
      }
    }
  }
  return newestFirst(out, limit);
}

/**
 * Pure: the first `limit` of `entries` stably sorted newest first, ties by name, sorting only the
 * entries as new as the limit-th newest date (the others can never be among the first `limit`).
 */
export function newestFirst(entries: ChangeEntry[], limit: number): ChangeEntry[] {
  if (limit <= 0) return [];
  // The `limit` newest dates seen, newest first.
  const top: string[] = [];
  for (const { date } of entries) {
    if (top.length === limit && compareInstants(date, top[top.length - 1] as string) <= 0) continue;
    let at = top.length;
    while (at > 0 && compareInstants(date, top[at - 1] as string) > 0) at -= 1;
    top.splice(at, 0, date);
    if (top.length > limit) top.pop();
  }
  const threshold = top.length === limit ? top[limit - 1] : undefined;
  const candidates = threshold === undefined ? entries : entries.filter((e) => compareInstants(e.date, threshold) >= 0);
  candidates.sort((a, b) => compareInstants(b.date, a.date) || compareStrings(a.name, b.name));
  return candidates.slice(0, limit);
}

export function escapeXml(value: string): string {
  // Characters XML 1.0 forbids would make the whole feed unreadable; drop them.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters XML 1.0 forbids
  const clean = value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export const KIND_WORDS: Record<ChangeKind, string> = {
  new: 'New server',
  updated: 'New version',
  deprecated: 'Deprecated',
  removed: 'Removed',
  'tools-changed': 'Tools changed',
  renamed: 'Renamed',
  transferred: 'Moved to a new owner',
};

/** Names shown per list in a summary; the rest are counted ("and 3 more"). */
export const MAX_NAMES_IN_SUMMARY = 20;

function nameList(names: readonly string[], total = names.length): string {
  const shown = names.slice(0, MAX_NAMES_IN_SUMMARY);
  const rest = Math.max(total, names.length) - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/**
 * Pure: plain text saying which tools were added, removed and changed, e.g.
 * `Tools added: a, b. Tools removed: c. Tools changed: d.` The names are the servers' own
 * text: the page prints this through Astro's escaping, the feed through escapeXml.
 */
export function toolChangeSummary(tools: ToolChangeNames): string {
  const parts = [
    tools.added.length > 0 ? `Tools added: ${nameList(tools.added, tools.counts?.added)}.` : '',
    tools.removed.length > 0 ? `Tools removed: ${nameList(tools.removed, tools.counts?.removed)}.` : '',
    tools.changed.length > 0 ? `Tools changed: ${nameList(tools.changed, tools.counts?.changed)}.` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' ') : 'The tool set changed.';
}

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
      entry.kind === 'tools-changed'
        ? `A re-inspection of this published version found different tools. ${toolChangeSummary(entry.tools ?? { added: [], removed: [], changed: [] })}`
        : entry.kind === 'removed'
          ? (entry.statusMessage ?? 'Removed from the registry.')
          : entry.kind === 'deprecated' && entry.statusMessage
            ? `${entry.description} (${entry.statusMessage})`
            : entry.description;
    lines.push(
      '  <entry>',
      `    <title>${escapeXml(`${KIND_WORDS[entry.kind]}: ${[entry.title, entry.version].filter((p) => p !== '').join(' ')}`)}</title>`,
      `    <id>${escapeXml(`${url}#${entry.kind}-${encodeURIComponent(entry.kind === 'renamed' || entry.kind === 'transferred' ? (entry.renamedFrom ?? '') : entry.version)}${entry.kind === 'tools-changed' ? `-${encodeURIComponent(entry.date)}` : ''}`)}</id>`,
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
