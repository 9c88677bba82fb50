/**
 * Recognises what an import file holds and turns it into uniform items (pure):
 * official API pages (`{servers, metadata}`, one or a list of them), bare arrays of
 * `{server, _meta}` (the official `/v0/servers` dump), arrays of server.json, a single
 * server.json, and the legacy 2025-05-16 seed format.
 */
import { CURRENT_SCHEMA_URL } from '../core/api-types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { diagnostic, warning } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import type { ImportCode } from './codes.ts';
import { isLegacySeedServer, mapLegacySeedServer } from './legacy-seed.ts';
import type { UpstreamOfficial } from './upstream-values.ts';
import { readOfficial, upstreamDate } from './upstream-values.ts';

export type { UpstreamOfficial } from './upstream-values.ts';

export type ImportShape = 'api-pages' | 'server-responses' | 'server-array' | 'server' | 'legacy-seed';

export interface ImportItem {
  /** JSON pointer of the item in the source (`/servers/3/server`, `/17`). */
  pointer: string;
  server: Record<string, unknown>;
  official: UpstreamOfficial;
  /** What could not be carried over (warnings), pointers relative to the item. */
  notes: Diagnostic[];
  /** Registry values that cannot be written (errors): the entry is quarantined. */
  refused?: Diagnostic[];
  /**
   * Served by another registry (an API page or `{server, _meta}` item): kept as served, with this
   * registry's findings as warnings recorded in provenance (docs/import.md, "Lossless mirroring").
   */
  mirrored?: true;
}

export type ReadResult = { ok: true; shape: ImportShape; items: ImportItem[] } | { ok: false; diagnostic: Diagnostic };

function problem(code: ImportCode, message: string, pointer = ''): Diagnostic {
  return diagnostic(code, message, { pointer });
}

/** A server.json from an API or an array: only gaps the current schema cannot accept are filled. */
function currentServer(raw: Record<string, unknown>): { server: Record<string, unknown>; notes: Diagnostic[] } {
  const notes: Diagnostic[] = [];
  const server = { ...raw };
  if (server.$schema === undefined) {
    server.$schema = CURRENT_SCHEMA_URL;
    notes.push(warning('import/schema-added' satisfies ImportCode, `the entry names no $schema; set to ${CURRENT_SCHEMA_URL}`, { pointer: '/$schema' }));
  }
  if (isRecord(server.repository) && (server.repository.url === '' || server.repository.url === undefined)) {
    delete server.repository;
    notes.push(warning('import/empty-repository' satisfies ImportCode, 'the repository has no URL; dropped', { pointer: '/repository' }));
  }
  return { server, notes };
}

export function fromResponses(list: unknown[], base: string): ImportItem[] | Diagnostic {
  const items: ImportItem[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isRecord(entry) || !isRecord(entry.server)) {
      return problem('import/not-a-server-response', `item ${i} has no 'server' object; every item of an API page is {server, _meta}`, `${base}/${i}`);
    }
    // Mirrored as served: no gap is filled, so the registry serves the upstream's exact value.
    const server = { ...entry.server };
    const notes: Diagnostic[] = [];
    const { official, problems } = readOfficial(entry._meta);
    items.push({ pointer: `${base}/${i}/server`, server, official, notes, mirrored: true, ...(problems.length > 0 ? { refused: problems } : {}) });
  }
  return items;
}

function fromServers(list: unknown[]): ImportItem[] | Diagnostic {
  const items: ImportItem[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isRecord(entry)) return problem('import/not-a-server', `item ${i} is not an object`, `/${i}`);
    const { server, notes } = currentServer(entry);
    items.push({ pointer: `/${i}`, server, official: {}, notes });
  }
  return items;
}

function fromSeed(list: unknown[]): ImportItem[] | Diagnostic {
  const items: ImportItem[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isRecord(entry)) return problem('import/not-a-server', `item ${i} is not an object`, `/${i}`);
    const mapped = mapLegacySeedServer(entry);
    const date = upstreamDate('version_detail.release_date', mapped.publishedAt);
    const official: UpstreamOfficial = date.value === undefined ? {} : { publishedAt: date.value };
    items.push({
      pointer: `/${i}`,
      server: mapped.server as Record<string, unknown>,
      official,
      notes: mapped.notes,
      ...(date.problem ? { refused: [date.problem] } : {}),
    });
  }
  return items;
}

function isPage(value: unknown): value is { servers: unknown[] } {
  return isRecord(value) && Array.isArray(value.servers);
}

function done(shape: ImportShape, result: ImportItem[] | Diagnostic): ReadResult {
  return Array.isArray(result) ? { ok: true, shape, items: result } : { ok: false, diagnostic: result };
}

/** `value` is the parsed JSON of the import file. */
export function readImport(value: unknown): ReadResult {
  if (isPage(value)) return done('api-pages', fromResponses(value.servers, '/servers'));
  if (isRecord(value)) {
    if (typeof value.name === 'string' && 'version' in value) return done('server', fromServers([value]));
    return { ok: false, diagnostic: problem('import/unknown-shape', 'the file is an object but neither an API page ({servers, metadata}) nor a server.json') };
  }
  if (!Array.isArray(value)) {
    return {
      ok: false,
      diagnostic: problem(
        'import/unknown-shape',
        'expected an API page, an array of API pages, of {server, _meta} items, of server.json, or the 2025-05-16 seed array',
      ),
    };
  }
  if (value.length === 0) return { ok: true, shape: 'server-array', items: [] };
  if (value.every(isPage)) {
    const items: ImportItem[] = [];
    for (const [p, page] of value.entries()) {
      const result = fromResponses(page.servers, `/${p}/servers`);
      if (!Array.isArray(result)) return { ok: false, diagnostic: result };
      items.push(...result);
    }
    return { ok: true, shape: 'api-pages', items };
  }
  if (isRecord(value[0]) && isRecord(value[0].server)) return done('server-responses', fromResponses(value, ''));
  if (value.some(isLegacySeedServer)) return done('legacy-seed', fromSeed(value));
  return done('server-array', fromServers(value));
}
