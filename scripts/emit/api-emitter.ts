/**
 * The static API: list pages for /v0.1 and /v0, each server's versions, each version and
 * `latest`, a gzip snapshot of everything, a changes feed and health. Every body comes from
 * the same functions the router uses, so a static host and `serve` answer with the same bytes.
 */
import type { ApiEntry } from '../api/api-data.ts';
import { renamesBody } from '../api/api-data.ts';
import {
  CHANGES_FILE,
  HEALTH_FILE,
  LIST_FILE,
  OPENAPI_FILE,
  PING_FILE,
  RENAMES_FILE,
  SNAPSHOT_FILE,
  VERSION_FILE,
  latestFile,
  versionFile,
  versionsFile,
} from '../api/api-layout.ts';
import { listBody, listPage } from '../api/list-page.ts';
import { DEFAULT_LIMIT } from '../api/list-query.ts';
import { compareInstants, compareStrings } from '../core/compare.ts';
import type { BuildContext, Emitter } from './emitter.ts';
import type { OutputTree } from '../files/atomic-tree.ts';
import type { ChunkCache } from './snapshot-gzip.ts';
import { chunkCacheIn, gzipPieces, isCut, pieces } from './snapshot-gzip.ts';

export function snapshotBody(entries: readonly ApiEntry[]): string {
  return listBody(entries);
}

/**
 * snapshotBody gzipped in pieces cut at entries (emit/snapshot-gzip.ts): one gzip member whose
 * pieces the build cache keeps, so a build after one merge compresses a piece or two, not 60 MB.
 */
export function snapshotGzip(entries: readonly ApiEntry[], cache?: ChunkCache): Buffer {
  const head = '{"servers":[';
  const tail = `],"metadata":{"count":${entries.length}}}`;
  const parts: string[] = [];
  const cuts: boolean[] = [];
  entries.forEach((e, i) => {
    parts.push(i === 0 ? `${head}${e.json}` : `,${e.json}`);
    cuts.push(isCut(`${e.name}\u0000${e.version}`));
  });
  if (parts.length === 0) parts.push(head);
  parts.push(tail);
  cuts.push(false);
  return gzipPieces(pieces(parts, cuts), cache);
}

/** True when every updatedAt is a UTC form of one length: then compareInstants is plain string order (core/compare.ts). */
function sameWidthUtc(entries: readonly ApiEntry[]): boolean {
  const width = entries[0]?.updatedAt.length ?? 0;
  for (const e of entries) if (e.updatedAt.length !== width || !e.updatedAt.endsWith('Z')) return false;
  return true;
}

export function changesBody(entries: readonly ApiEntry[]): string {
  // The same order either way; the inline comparator only saves ~1M calls at 60,000 versions.
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ordered = sameWidthUtc(entries)
    ? [...entries].sort((a, b) => byText(a.updatedAt, b.updatedAt) || byText(a.name, b.name) || byText(a.version, b.version))
    : [...entries].sort((a, b) => compareInstants(a.updatedAt, b.updatedAt) || compareStrings(a.name, b.name) || compareStrings(a.version, b.version));
  const lines = ordered.map((e) => JSON.stringify({ name: e.name, version: e.version, status: e.status, isLatest: e.isLatest, updatedAt: e.updatedAt }));
  return `{"changes":[${lines.join(',')}],"metadata":{"count":${ordered.length}}}`;
}

export function healthBody(context: BuildContext): string {
  const api = context.api;
  return JSON.stringify({
    status: 'ok',
    registry: context.config.name,
    builtAt: context.builtAt,
    ...(context.commit === undefined ? {} : { commit: context.commit }),
    servers: api.byName.size - (api.aliases?.length ?? 0),
    versions: api.all.length,
    deleted: api.all.length - api.visible.length,
  });
}

/** The official `/v0.1/version` fields; the version is this registry's build commit, as the official one names its release. */
export function versionBody(context: BuildContext): string {
  return JSON.stringify({
    version: context.commit === undefined ? 'unknown' : context.commit.slice(0, 12),
    git_commit: context.commit ?? 'unknown',
    build_time: context.builtAt,
  });
}

export const PING_BODY = '{"pong":true}';

function emitPerServer(context: BuildContext, out: OutputTree): void {
  for (const [name, server] of context.api.byName) {
    const visible = server.versions.filter((e) => e.status !== 'deleted');
    const list = versionsFile(name);
    if (visible.length > 0 && list !== undefined) out.write(list, listBody(visible));
    // Deleted versions answer 404 without include_deleted, so static hosts get no file for them.
    for (const entry of visible) {
      const file = versionFile(name, entry.version);
      if (file !== undefined) out.write(file, entry.json);
    }
    const latest = latestFile(name);
    if (server.latest && latest !== undefined) {
      const file = versionFile(name, server.latest.version);
      if (file !== undefined) out.alias(latest, file);
      else out.write(latest, server.latest.json);
    }
  }
}

export const apiEmitter: Emitter = {
  name: 'api',
  async emit(context, out) {
    const api = context.api;
    const first = listPage(api, { limit: DEFAULT_LIMIT, includeDeleted: false });
    const firstBody = listBody(first.items, first.nextCursor);
    out.write(LIST_FILE, firstBody);
    out.alias('v0/servers.json', LIST_FILE);
    emitPerServer(context, out);
    const chunks = chunkCacheIn(context.cacheDir);
    out.write(SNAPSHOT_FILE, snapshotGzip(api.all, chunks.cache));
    await chunks.save();
    out.write(CHANGES_FILE, changesBody(api.all));
    // Only a registry with renames has the file; `serve` reads its absence as none.
    if (api.aliases && api.aliases.length > 0) out.write(RENAMES_FILE, renamesBody({ aliases: api.aliases, metaKey: context.config.metaNamespace }));
    out.write(HEALTH_FILE, healthBody(context));
    out.write(PING_FILE, PING_BODY);
    out.write(VERSION_FILE, versionBody(context));
    out.write(OPENAPI_FILE, context.openapiYaml);
  },
};
