/**
 * The catalog: validated server.json files plus registry-owned state and file dates → every
 * version as the API publishes it. Pure: dates, state and documents are passed in.
 */
import { OFFICIAL_META_KEY } from '../core/api-types.ts';
import type { OfficialMeta, ServerJson, ServerResponse, ServerStatus } from '../core/api-types.ts';
import { diagnostic, warning } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { OverlayFile, ProvenanceFile, StatusFile } from '../core/registry-state.ts';
import { statePath } from '../core/registry-state.ts';
import { compareInstants, compareStrings } from '../core/compare.ts';
import type { CatalogCode } from './codes.ts';
import { provenanceMeta } from './provenance-meta.ts';
import { serverView } from './server-view.ts';
import type { ServerView, VersionView } from './server-view.ts';
import { compareVersions } from './version-order.ts';
import { isRecord } from '../core/is-record.ts';
import type { FileDates } from '../core/file-dates.ts';
import type { RenameRecord } from '../state/rename-file.ts';
import { followableAliases } from './aliases.ts';
import { reservedKeyProblems, withoutReservedKeys } from './reserved-meta.ts';
import type { Alias } from './aliases.ts';

export interface CatalogInput {
  /** `servers/<ns>/<name>/<version>.json` → parsed, valid document; any order. */
  entries: readonly { path: string; server: ServerJson }[];
  /** Keyed by entry path. Entries without dates get `fallbackDate`. */
  dates: ReadonlyMap<string, FileDates>;
  /** Keyed by lower-cased server name. */
  status?: ReadonlyMap<string, StatusFile>;
  overlays?: ReadonlyMap<string, OverlayFile>;
  provenance?: ReadonlyMap<string, ProvenanceFile>;
  /** Lower-cased name → version → more registry-owned `_meta` (inspections), merged last. */
  versionMeta?: ReadonlyMap<string, Readonly<Record<string, Record<string, unknown>>>>;
  /** `_meta` key for overlays (config.metaNamespace). */
  metaNamespace: string;
  fallbackDate: string;
  /**
   * registry/renames: an old name that answers with a new one; the old name's own versions leave the catalog's
   * lists, and those the new name never published are kept on the alias (aliases.ts `kept`).
   */
  renames?: readonly RenameRecord[];
}

export interface CatalogEntry extends VersionView {
  path: string;
  name: string;
}

/** Versions newest first, deleted included (server-view.ts orders them). */
export type CatalogServer = ServerView<CatalogEntry>;

export interface Catalog {
  /** By name. */
  servers: CatalogServer[];
  /** List order: name, then version (code-unit order), deleted included. */
  entries: CatalogEntry[];
  /**
   * Followed renames by old name: `from` as the old server published it (lower-cased when it published
   * nothing), `to` as the new server spells it. Neither `servers` nor `entries` holds the old name; the
   * alias keeps the old name's versions that the new name never published.
   */
  aliases: Alias[];
  diagnostics: { path: string; diagnostic: Diagnostic }[];
}

/** Recursively sorts object keys so that overlay bytes do not depend on YAML key order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort(compareStrings)) out[k] = sortKeys(value[k]);
  return out;
}

function maxDate(a: string, b: string): string {
  return compareInstants(a, b) >= 0 ? a : b;
}

interface Draft {
  path: string;
  server: ServerJson;
  publishedAt: string;
  updatedAt: string;
  status: ServerStatus;
  statusChangedAt: string;
  statusMessage?: string;
  /** The upstream this version is mirrored from marks it its latest (provenance). */
  upstreamLatest?: true;
}

/**
 * A maintainer's pin wins; then the version a mirrored upstream marks as its latest (so a mirror's
 * isLatest equals the upstream's); then the highest version.
 */
function chooseLatest(drafts: Draft[], pinned: string | undefined): Draft | undefined {
  const live = drafts.filter((d) => d.status !== 'deleted');
  if (pinned !== undefined) {
    const pin = live.find((d) => d.server.version === pinned);
    if (pin) return pin;
  }
  const marked = live.filter((d) => d.upstreamLatest);
  let best: Draft | undefined;
  for (const d of marked.length > 0 ? marked : live) {
    if (
      !best ||
      compareVersions({ version: d.server.version, publishedAt: d.publishedAt }, { version: best.server.version, publishedAt: best.publishedAt }) > 0
    ) {
      best = d;
    }
  }
  return best;
}

export function buildCatalog(input: CatalogInput): Catalog {
  const diagnostics: Catalog['diagnostics'] = [];
  const byName = new Map<string, Draft[]>();
  const sortedInput = [...input.entries].sort((a, b) => compareStrings(a.path, b.path));
  for (const { path, server } of sortedInput) {
    const lower = server.name.toLowerCase();
    const status = input.status?.get(lower)?.versions?.[server.version];
    const upstream = input.provenance?.get(lower)?.versions?.[server.version];
    const fileDates = input.dates.get(path);
    const publishedAt = upstream?.publishedAt ?? fileDates?.publishedAt ?? input.fallbackDate;
    let updatedAt = upstream?.updatedAt ?? fileDates?.updatedAt ?? publishedAt;
    if (status) updatedAt = maxDate(updatedAt, status.statusChangedAt);
    const list = byName.get(server.name) ?? [];
    if (list.some((d) => d.server.version === server.version)) {
      diagnostics.push({
        path,
        diagnostic: diagnostic(
          'catalog/duplicate-version' satisfies CatalogCode,
          `${server.name} ${server.version} is already published by another file; remove this one`,
          { pointer: '/version' },
        ),
      });
      continue;
    }
    list.push({
      path,
      server,
      publishedAt,
      updatedAt,
      status: status?.status ?? 'active',
      statusChangedAt: status?.statusChangedAt ?? publishedAt,
      ...(upstream?.isLatest === true ? { upstreamLatest: true as const } : {}),
      ...(status?.statusMessage === undefined ? {} : { statusMessage: status.statusMessage }),
    });
    byName.set(server.name, list);
  }

  const servers: CatalogServer[] = [];
  const entries: CatalogEntry[] = [];
  for (const name of [...byName.keys()].sort(compareStrings)) {
    const drafts = byName.get(name) as Draft[];
    const lower = name.toLowerCase();
    const latest = chooseLatest(drafts, input.status?.get(lower)?.latest);
    const overlay = input.overlays?.get(lower);
    const made = drafts.map((d): CatalogEntry => {
      const official: OfficialMeta = {
        status: d.status,
        statusChangedAt: d.statusChangedAt,
        ...(d.statusMessage === undefined ? {} : { statusMessage: d.statusMessage }),
        publishedAt: d.publishedAt,
        updatedAt: d.updatedAt,
        isLatest: d === latest,
      };
      const response: ServerResponse = { server: d.server, _meta: { [OFFICIAL_META_KEY]: official } };
      const versionMeta = input.versionMeta?.get(lower);
      const extra = {
        ...withoutReservedKeys(overlay?.meta),
        // Per-version additions replace top-level keys of `meta`, as the overlay schema check assumes.
        ...withoutReservedKeys(overlay?.versions?.[d.server.version]),
        ...provenanceMeta(input.provenance?.get(lower), d.server.version),
        ...(versionMeta && Object.hasOwn(versionMeta, d.server.version) ? versionMeta[d.server.version] : {}),
      };
      if (Object.keys(extra).length > 0) response._meta[input.metaNamespace] = sortKeys(extra);
      return { path: d.path, name, version: d.server.version, official, response };
    });
    const server: CatalogServer = serverView(name, made);
    servers.push(server);
    entries.push(...[...made].sort((a, b) => compareStrings(a.version, b.version)));
  }
  const published = new Set([...byName.keys()].map((n) => n.toLowerCase()));
  diagnostics.push(...orphanStateDiagnostics(input, published));
  for (const lower of [...(input.overlays?.keys() ?? [])].sort(compareStrings)) {
    const overlay = input.overlays?.get(lower);
    for (const diagnostic of overlay ? reservedKeyProblems(overlay) : []) diagnostics.push({ path: statePath('overlays', lower), diagnostic });
  }
  return { ...withAliases(servers, entries, input.renames ?? [], published), diagnostics };
}

/** Drops each followed old name from the catalog (the list shows one server) and names the alias as published. */
function withAliases(
  servers: CatalogServer[],
  entries: CatalogEntry[],
  renames: readonly RenameRecord[],
  published: ReadonlySet<string>,
): Pick<Catalog, 'servers' | 'entries' | 'aliases'> {
  const followed = followableAliases(renames, published);
  if (followed.size === 0) return { servers, entries, aliases: [] };
  const spelled = new Map(servers.map((s) => [s.name.toLowerCase(), s.name]));
  const versionsOf = (lower: string) => entries.filter((e) => e.name.toLowerCase() === lower);
  const aliases = [...followed.values()]
    .map((a): Alias => {
      const taken = new Set(versionsOf(a.to).map((e) => e.version));
      // A version the new name never published is not lost: it keeps answering under the old name.
      const kept = versionsOf(a.from)
        .filter((e) => !taken.has(e.version))
        .map((e) => e.response);
      return { from: spelled.get(a.from) ?? a.from, to: spelled.get(a.to) ?? a.to, renamedAt: a.renamedAt, ...(kept.length > 0 ? { kept } : {}) };
    })
    .sort((a, b) => compareStrings(a.from, b.from));
  const gone = (name: string) => followed.has(name.toLowerCase());
  return { servers: servers.filter((s) => !gone(s.name)), entries: entries.filter((e) => !gone(e.name)), aliases };
}

/** Registry-owned state for a name no file publishes: usually a typo in the state file's path. */
function orphanStateDiagnostics(input: CatalogInput, published: ReadonlySet<string>): Catalog['diagnostics'] {
  const out: Catalog['diagnostics'] = [];
  const kinds = [
    ['overlays', input.overlays],
    ['status', input.status],
  ] as const;
  for (const [kind, files] of kinds) {
    for (const lower of [...(files?.keys() ?? [])].sort(compareStrings)) {
      if (published.has(lower)) continue;
      out.push({
        path: statePath(kind, lower),
        diagnostic: warning(
          (kind === 'overlays' ? 'catalog/overlay-unknown-server' : 'catalog/status-unknown-server') satisfies CatalogCode,
          `no file under servers/ publishes ${lower}, so this ${kind === 'overlays' ? 'overlay' : 'status file'} applies to nothing; check the spelling of its path`,
          { line: 1, column: 1 },
        ),
      });
    }
  }
  return out;
}
