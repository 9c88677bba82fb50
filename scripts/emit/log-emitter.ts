/**
 * The transparency log under dist/log/ (issue 17): one entry per published version — name,
 * version, SHA-256 of the exact bytes of its server.json, publishedAt — in the order the files
 * reached the registry: the first-parent position of the commit that first added each file
 * (git/log-order.ts), then path. A later build only appends, whatever dates the new files carry.
 * Every file under servers/ is a leaf, also a deleted version and a renamed server's old versions.
 * So is every committed status change (registry/status/: deprecated, deleted, active again), at
 * the position of the commit that made it, with `status` set and `publishedAt` its statusChangedAt.
 *
 * The leaves are computed by the build before the catalog (logLeaves), so each version's
 * `_meta[<metaNamespace>].log` can carry its leaf index and hash (withLogMeta). The checkpoint is
 * signed when the build has the registry's Ed25519 key (PKCS#8 PEM, `build --log-key FILE` or
 * MCP_REGISTRY_LOG_KEY); without it the checkpoint carries no signature line. The exact bytes of
 * each server.json are served beside the log (`log/servers/…`), so `audit` can hash what is served.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerJson } from '../core/api-types.ts';
import type { FileDates } from '../core/file-dates.ts';
import type { ProvenanceFile, StatusFile } from '../core/registry-state.ts';
import type { StatusChange } from '../git/log-order.ts';
import { parseStatusFile } from '../state/status-file.ts';
import { encodeEntry, servedPath, sha256Hex } from '../translog/entry.ts';
import type { LogEntry } from '../translog/entry.ts';
import { checkpointBody, parseVerifierKey, privateKeyBlocks, signCheckpointWith, verifierKeyString } from '../translog/note.ts';
import { logTiles } from '../translog/tiles.ts';
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { BuildCode } from './codes.ts';
import type { Emitter } from './emitter.ts';
import { canLink, LogFileStore } from './log-file-store.ts';

/** The log's origin line: the registry's public URL without its scheme, then `/log`. */
export function logOrigin(baseUrl: string): string {
  return `${baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '')}/log`;
}

/** The signing key's name: the host of the registry's public URL. */
export function logKeyName(baseUrl: string): string {
  return logOrigin(baseUrl).split('/')[0] as string;
}

/** One leaf: the entry, the file it hashes, and its index in the log. */
export interface LogLeaf {
  path: string;
  index: number;
  entry: LogEntry;
  bytes: Uint8Array;
  /** The source file and its content hash (files/atomic-tree.ts contentHash), when known: served by hard link, not read. */
  file?: SourceFileRef;
}

export interface SourceFileRef {
  absolute: string;
  contentHash: string;
}

export interface LogLeavesInput {
  /** Every valid file under servers/ (path relative to the registry root). */
  entries: readonly { path: string; server: ServerJson }[];
  /** The same publishedAt the catalog takes: provenance first, then git dates, then the fallback. */
  dates: ReadonlyMap<string, FileDates>;
  provenance?: ReadonlyMap<string, ProvenanceFile>;
  /** First-parent position per path (git/log-order.ts); undefined outside git. */
  positions: ReadonlyMap<string, number> | undefined;
  fallbackDate: string;
  /** The file's bytes; read only when a leaf's `bytes` is asked for (the log emitter serves them). */
  read: (path: string) => Uint8Array;
  /** SHA-256 (hex) of the file's bytes, when the caller knows it without reading (load/file-digests.ts); else hashed from `read`. */
  sha256?: (path: string) => string;
  /** What validation knows of the file (validate/validate-tree.ts ValidatedEntry): its SHA-256 and the file with its content hash. */
  known?: (path: string) => { sha256?: string; file?: SourceFileRef } | undefined;
  /** Committed versions of the status files, oldest first (git/log-order.ts readStatusHistory). */
  statusChanges?: readonly StatusChange[];
}

interface Ordered {
  position: number;
  /** 0: a version, 1: a status change (after the versions its commit added). */
  kind: 0 | 1;
  /** Versions: the path; status changes: their order of reading. */
  tie: string | number;
  leaf: Pending;
}

/** A file's bytes, read on first use and kept. */
class LazyBytes {
  private value: Uint8Array | undefined;
  private readonly read: () => Uint8Array;
  constructor(read: () => Uint8Array) {
    this.read = read;
  }
  get(): Uint8Array {
    this.value ??= this.read();
    return this.value;
  }
}

/** A leaf whose `bytes` are read when first asked for: most builds need only the hash. */
class Leaf implements LogLeaf {
  readonly path: string;
  readonly index: number;
  readonly entry: LogEntry;
  private readonly content: LazyBytes;
  readonly file?: SourceFileRef;
  constructor(path: string, index: number, entry: LogEntry, content: LazyBytes, file: SourceFileRef | undefined) {
    this.path = path;
    this.index = index;
    this.entry = entry;
    this.content = content;
    if (file !== undefined) this.file = file;
  }
  get bytes(): Uint8Array {
    return this.content.get();
  }
}

interface Pending {
  path: string;
  entry: LogEntry;
  file: LazyBytes;
  source?: SourceFileRef | undefined;
}

/** Pure but for `read` and `sha256`: the leaves in log order. */
export function logLeaves(input: LogLeavesInput): LogLeaf[] {
  const positions = input.positions ?? new Map<string, number>();
  const ordered: Ordered[] = [];
  const versions = new Map<string, Ordered>();
  // compareLogOrder, with each path's position looked up once.
  const keyed = input.entries.map((e) => ({ e, position: positions.get(e.path) ?? Number.POSITIVE_INFINITY }));
  keyed.sort((a, b) => (a.position !== b.position ? (a.position < b.position ? -1 : 1) : a.e.path < b.e.path ? -1 : a.e.path > b.e.path ? 1 : 0));
  for (const { e, position } of keyed) {
    const { path, server } = e;
    const file = new LazyBytes(() => input.read(path));
    const known = input.known?.(path);
    const sha256 = known?.sha256 ?? (input.sha256 ? input.sha256(path) : sha256Hex(file.get()));
    const upstream = input.provenance?.get(server.name.toLowerCase())?.versions?.[server.version];
    const publishedAt = upstream?.publishedAt ?? input.dates.get(path)?.publishedAt ?? input.fallbackDate;
    const item: Ordered = {
      position,
      kind: 0,
      tie: path,
      leaf: { path, file, source: known?.file, entry: { name: server.name, version: server.version, sha256, publishedAt } },
    };
    ordered.push(item);
    versions.set(`${server.name.toLowerCase()}\u0000${server.version}`, item);
  }
  ordered.push(...statusEvents(input.statusChanges ?? [], versions));
  ordered.sort((a, b) => a.position - b.position || a.kind - b.kind || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0));
  return ordered.map((o, index) => new Leaf(o.leaf.path, index, o.leaf.entry, o.leaf.file, o.leaf.source));
}

/** Status transitions, file version by file version: a leaf wherever a version's status differs from the one before (active when unlisted). */
function statusEvents(changes: readonly StatusChange[], versions: ReadonlyMap<string, Ordered>): Ordered[] {
  const out: Ordered[] = [];
  const before = new Map<string, Map<string, string>>();
  for (const change of changes) {
    const lower = change.path.replace(/^registry\/status\//, '').replace(/\.yaml$/, '');
    const parsed: { value?: StatusFile } = change.text === undefined ? { value: {} } : parseStatusFile(change.text);
    if (parsed.value === undefined) continue; // a status file that did not parse at that commit changed nothing
    const now = parsed.value.versions ?? {};
    const old = before.get(change.path) ?? new Map<string, string>();
    const next = new Map<string, string>();
    for (const [version, v] of Object.entries(now)) next.set(version, v.status);
    for (const version of [...new Set([...old.keys(), ...next.keys()])].sort()) {
      const status = next.get(version) ?? 'active';
      if (status === (old.get(version) ?? 'active')) continue;
      const target = versions.get(`${lower}\u0000${version}`);
      if (target === undefined) continue; // a status for a version that has no file under servers/
      const at = Object.hasOwn(now, version) && now[version]?.statusChangedAt ? (now[version]?.statusChangedAt as string) : change.at;
      out.push({
        position: Math.max(change.position, target.position),
        kind: 1,
        tie: out.length,
        leaf: { path: change.path, file: target.leaf.file, source: target.leaf.source, entry: { ...target.leaf.entry, publishedAt: at, status } },
      });
    }
    before.set(change.path, next);
  }
  return out;
}

export function readLeafFile(root: string): (path: string) => Uint8Array {
  return (path) => new Uint8Array(readFileSync(join(root, path)));
}

/** `_meta` additions per lower-cased name and version (as the catalog's versionMeta), with `log: { leafIndex, sha256 }` merged in. */
export function withLogMeta(
  meta: ReadonlyMap<string, Readonly<Record<string, Record<string, unknown>>>>,
  leaves: readonly LogLeaf[],
): Map<string, Record<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, Record<string, unknown>>>();
  for (const [name, versions] of meta) out.set(name, { ...versions });
  for (const leaf of leaves) {
    if (leaf.entry.status !== undefined) continue;
    const lower = leaf.entry.name.toLowerCase();
    const versions = out.get(lower) ?? {};
    const own = Object.hasOwn(versions, leaf.entry.version) ? versions[leaf.entry.version] : {};
    versions[leaf.entry.version] = { ...own, log: { leafIndex: leaf.index, sha256: leaf.entry.sha256 } };
    out.set(lower, versions);
  }
  return out;
}

export interface LogFiles {
  files: Map<string, Uint8Array | string>;
  entries: LogEntry[];
}

/**
 * The files of dist/log/ (paths relative to it) for these leaves, in log order. `served` false for a
 * leaf means the caller serves its file itself (by hard link): its bytes are not read.
 */
export function logFiles(
  leaves: readonly Pick<LogLeaf, 'entry' | 'bytes'>[],
  baseUrl: string,
  privateKeyPem: string | undefined,
  served: (leaf: Pick<LogLeaf, 'entry' | 'bytes'>) => boolean = () => true,
): LogFiles {
  const entries = leaves.map((l) => l.entry);
  const { files: tiles, leaves: hashes, root } = logTiles(entries.map(encodeEntry));
  const files = new Map<string, Uint8Array | string>(tiles);
  for (const leaf of leaves) {
    if (leaf.entry.status !== undefined) continue;
    const path = servedPath(leaf.entry.name, leaf.entry.version);
    if (path !== undefined && served(leaf)) files.set(path, leaf.bytes);
  }
  const checkpoint = { origin: logOrigin(baseUrl), size: hashes.length, root };
  if (privateKeyPem === undefined || privateKeyPem.trim() === '') {
    files.set('checkpoint', `${checkpointBody(checkpoint)}\n`);
  } else {
    // Several PEM blocks (a rotation: the old key, then the new one) sign the checkpoint each; log/key lists them all.
    const name = logKeyName(baseUrl);
    const pems = privateKeyBlocks(privateKeyPem);
    const note = signCheckpointWith(checkpoint, name, pems.length > 0 ? pems : [privateKeyPem]);
    if (!note.ok) throw new Error(`MCP_REGISTRY_LOG_KEY: ${note.error}`);
    files.set('checkpoint', note.value);
    const vkeys: string[] = [];
    for (const pem of pems.length > 0 ? pems : [privateKeyPem]) {
      const vkey = verifierKeyString(name, createPrivateKey(pem));
      if (!vkey.ok) throw new Error(`MCP_REGISTRY_LOG_KEY: ${vkey.error}`);
      vkeys.push(vkey.value);
    }
    files.set('key', `${vkeys.join('\n')}\n`);
  }
  return { files, entries };
}

/**
 * `transparencyLog.keys` in registry.config.yaml: the verifier keys the registry publishes. When it
 * is there, every key the build signs with must be one of them (a problem per key otherwise).
 */
export function configuredKeyProblems(extra: Readonly<Record<string, unknown>>, signing: readonly string[]): Diagnostic[] {
  const section = extra.transparencyLog;
  if (section === undefined) return [];
  const code = 'build/log-key-not-configured' satisfies BuildCode;
  const keys = typeof section === 'object' && section !== null ? (section as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && parseVerifierKey(k).ok)) {
    return [
      diagnostic(
        code,
        'registry.config.yaml: transparencyLog.keys must be a list of verifier keys (<name>+<8 hex>+<base64>, as `mcp-registry log keygen` prints)',
      ),
    ];
  }
  const listed = new Set(keys.map((k) => (k as string).trim()));
  return signing
    .filter((k) => !listed.has(k))
    .map((k) =>
      diagnostic(
        code,
        `the log would be signed with ${k}, which transparencyLog.keys in registry.config.yaml does not name; add it there (during a rotation both keys are listed) or fix MCP_REGISTRY_LOG_KEY`,
      ),
    );
}

export const logEmitter: Emitter = {
  name: 'log',
  emit(context, out) {
    // The build computes the leaves before the catalog; a context made elsewhere gets them from its catalog, in path order.
    const leaves =
      context.logLeaves ??
      logLeaves({
        entries: context.catalog.entries.map((e) => ({ path: e.path, server: e.response.server })),
        dates: new Map(context.catalog.entries.map((e) => [e.path, { publishedAt: e.official.publishedAt, updatedAt: e.official.updatedAt }])),
        positions: undefined,
        fallbackDate: new Date(0).toISOString(),
        read: readLeafFile(context.root),
      });
    // A source file whose content hash validation knows is served by hard link from the build cache's copy: neither read nor written again.
    const linker = canLink(out) && context.cacheDir !== undefined ? { out, store: new LogFileStore(context.cacheDir) } : undefined;
    const linked = (leaf: Pick<LogLeaf, 'entry' | 'bytes'>): boolean => linker !== undefined && (leaf as LogLeaf).file !== undefined;
    const { files } = logFiles(leaves, context.baseUrl, context.logKey, (leaf) => !linked(leaf));
    const signing = files.has('key') ? String(files.get('key')).trim().split('\n') : [];
    const problems = configuredKeyProblems(context.config.extra, signing);
    if (problems.length > 0) return problems;
    for (const [path, content] of files) out.write(`log/${path}`, content);
    if (linker !== undefined) {
      for (const leaf of leaves) {
        if (leaf.entry.status !== undefined || leaf.file === undefined) continue;
        const path = servedPath(leaf.entry.name, leaf.entry.version);
        if (path !== undefined) linker.store.serve(linker.out, `log/${path}`, leaf.file);
      }
      linker.store.prune();
    }
    return [];
  },
};

/** The order inputs of logLeaves from a log-order source (none outside git). */
export async function logOrderOf(
  source: (root: string) => Promise<{ positions: Map<string, number>; statusChanges: StatusChange[] } | undefined>,
  root: string,
): Promise<Pick<LogLeavesInput, 'positions' | 'statusChanges'>> {
  const read = await source(root);
  return read === undefined ? { positions: undefined } : { positions: read.positions, statusChanges: read.statusChanges };
}
