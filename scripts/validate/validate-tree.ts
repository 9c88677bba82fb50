/**
 * The file-system edge of validation: finds version files, reads them, and runs the pure per-file and
 * registry-wide rules. Bad files become diagnostics; only a missing path or an unreadable root throws.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerJson } from '../core/api-types.ts';
import type { Diagnostic, FileReport, Report } from '../core/diagnostics.ts';
import { diagnostic, fileReport, report } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import type { LoadCode } from '../load/codes.ts';
import { decodeSource } from '../load/decode-source.ts';
import { createPositionLocator } from '../load/positions.ts';
import { listSourceFiles, mapConcurrent, treeLabel } from '../load/servers-tree.ts';
import type { SourceFile } from '../load/servers-tree.ts';
import { parseRegistryIndex, registryFacts } from './registry-index.ts';
import { isUnderServers, registryFindings, SERVERS_DIR } from './registry-rules.ts';
import type { RegistryFile } from './registry-rules.ts';
import { relaxMirrored } from './rule.ts';
import { compareDiagnostics, validateBytes } from './validate-document.ts';
import type { FileStat } from '../load/file-digests.ts';
import { contentHashOf } from './entry-cache.ts';
import type { EntryCache, EntryRecord } from './entry-cache.ts';
import type { VerdictCache } from './verdict-cache.ts';
import { sha256 } from './verdict-cache.ts';

export interface ValidatedEntry {
  /** Relative to the registry root, POSIX separators: `servers/<namespace>/<name>/<version>.json`. */
  path: string;
  /** The parsed document (BOM-free, schema- and rule-valid; warnings allowed). */
  server: ServerJson;
  /** SHA-256 (hex) of the file's bytes, when validation had them or the entry cache recorded them. */
  sha256?: string;
  /** The file itself and its content hash (SHA-1 base64url of the bytes), when known: the log serves it by hard link. */
  file?: { absolute: string; contentHash: string };
}

export interface TreeValidation {
  report: Report;
  entries: ValidatedEntry[];
}

interface Candidate {
  /** Shown in reports: relative to root when inside it, POSIX separators. */
  label: string;
  absolute: string;
}

const READ_CONCURRENCY = 64;

async function expand(root: string, target: string): Promise<Candidate[]> {
  const absolute = resolve(root, target);
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(absolute);
  } catch {
    throw environmentError(`${target}: no such file or directory`);
  }
  if (!stats.isDirectory()) return [{ label: treeLabel(root, absolute), absolute }];
  // Symbolic links of any name are reported (a linked folder could pull in files from anywhere), never followed.
  return (await listSourceFiles(absolute)).map((file) => ({ label: treeLabel(root, file.absolute), absolute: file.absolute }));
}

/** The decoded text of a file taken from the entry cache, for the positions of a registry-wide finding. */
function readText(absolute: string): string | undefined {
  try {
    const decoded = decodeSource(readFileSync(absolute));
    return decoded.ok ? decoded.value : undefined;
  } catch {
    return undefined;
  }
}

function fileError(label: string, code: LoadCode, message: string): FileReport {
  return fileReport(label, [diagnostic(code, message, { line: 1, column: 1 })]);
}

interface Checked {
  report: FileReport;
  value?: ServerJson;
  /** The decoded text; absent for a file taken from the entry cache (read again only if a registry-wide finding needs positions). */
  text?: string;
  absolute?: string;
  sha256?: string;
  contentHash?: string;
}

/** The diagnostics of a file the cache has seen with these bytes, or a fresh validation (then remembered). */
function validateCached(bytes: Uint8Array, label: string, config: RegistryConfig, cache: VerdictCache | undefined): Checked {
  const decoded = decodeSource(bytes);
  const text = decoded.ok ? decoded.value : undefined;
  const digest = cache === undefined ? undefined : sha256(bytes);
  const known = digest === undefined || text === undefined ? undefined : cache?.get(label, digest);
  if (known !== undefined && text !== undefined) {
    const report = fileReport(label, known);
    return { report, value: JSON.parse(text) as ServerJson, text };
  }
  const checked = validateBytes(bytes, label, config);
  if (digest !== undefined && checked.value !== undefined) cache?.set(label, digest, checked.diagnostics);
  return {
    report: { path: checked.path, ok: checked.ok, diagnostics: checked.diagnostics },
    ...(checked.value === undefined ? {} : { value: checked.value }),
    ...(text === undefined ? {} : { text }),
  };
}

function fromRecord(label: string, absolute: string, record: EntryRecord): Checked {
  return {
    // Copies: callers may add registry-wide findings to the list.
    report: fileReport(
      label,
      record.diagnostics.map((d) => ({ ...d })),
    ),
    value: record.value,
    absolute,
    sha256: record.sha256,
    contentHash: record.contentHash,
  };
}

/**
 * A file whose stat the entry cache recorded is taken from it unread; one whose bytes it recorded, read
 * but not validated again; any other is read, validated and recorded.
 */
function checkRecorded(absolute: string, label: string, config: RegistryConfig, cache: VerdictCache | undefined, entries: EntryCache, stat: FileStat): Checked {
  const known = entries.known(label, stat);
  if (known !== undefined) return fromRecord(label, absolute, known);
  const bytes = readFileSync(absolute);
  const contentHash = contentHashOf(bytes);
  const same = entries.knownContent(label, stat, contentHash);
  if (same !== undefined) return fromRecord(label, absolute, same);
  const checked = validateCached(bytes, label, config, cache);
  const digests = { sha256: sha256(bytes), contentHash };
  if (checked.value !== undefined && isUnderServers(label)) {
    // Recorded from a parse of its own, so later changes to the entry handed on cannot reach the cache.
    entries.remember(label, stat, {
      ...digests,
      diagnostics: checked.report.diagnostics.map((d) => ({ ...d })),
      value: JSON.parse(checked.text ?? 'null') as ServerJson,
    });
  }
  return { ...checked, absolute, ...digests };
}

async function checkFile(
  candidate: Candidate,
  root: string,
  config: RegistryConfig,
  cache: VerdictCache | undefined,
  entries: EntryCache | undefined,
): Promise<Checked> {
  const { label, absolute } = candidate;
  try {
    // Synchronous: for tens of thousands of small files, the promise API's open/stat/read/close round trips cost more than the reads.
    const stats = entries === undefined ? lstatSync(absolute) : lstatSync(absolute, { bigint: true });
    if (stats.isSymbolicLink()) {
      const target = await realpath(absolute).catch(() => undefined);
      const where = target === undefined ? 'a missing file' : treeLabel(root, target);
      return {
        report: fileError(
          label,
          'file/symlink',
          `this is a symbolic link (to ${where}); version files must be regular files, so replace the link with the file itself`,
        ),
      };
    }
    if (!stats.isFile()) return { report: fileError(label, 'file/read-error', 'this is not a regular file; remove it from servers/') };
    if (entries !== undefined) return checkRecorded(absolute, label, config, cache, entries, stats as FileStat);
    return validateCached(readFileSync(absolute), label, config, cache);
  } catch (error) {
    return {
      report: fileError(
        label,
        'file/read-error',
        `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check its permissions`,
      ),
    };
  }
}

/** An index file (`--registry-index`, registry-index.ts); a file that cannot be read or is not one ends the command. */
export async function readRegistryIndex(path: string): Promise<RegistryFile[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw environmentError(`cannot read the registry index ${path}: ${(error as Error).message}`, error);
  }
  const parsed = parseRegistryIndex(text);
  if (!parsed.ok) throw environmentError(`${path} is not a registry index: ${parsed.error}`);
  return parsed.value;
}

/**
 * Validates `paths` (files or folders, relative to `root`; default `servers/`). With `verdicts`, a
 * file whose path and bytes the cache has seen under the same validator and config is not validated again.
 */
export interface TreeOptions {
  /**
   * True for a version mirrored from another registry (it has provenance): its findings are warnings,
   * since the upstream serves it as it is (docs/import.md, "Lossless mirroring").
   */
  mirrored?: (name: string, version: string) => boolean;
  /** True for a deprecated or deleted version: it releases its remote URLs (registry-rules.ts). */
  released?: (name: string, version: string) => boolean;
  /**
   * The files of servers/ as the registry-wide rules need them (registry-index.ts), for a check that has
   * them already (the PR check reads them from git): used instead of reading servers/ for the files not asked.
   */
  siblings?: readonly RegistryFile[];
  /** Validated files kept between builds (entry-cache.ts): a file whose stat is recorded is not read. */
  entries?: EntryCache;
}

/**
 * The files under `root/servers/` except `skip`, as the registry-wide rules read them: the same listing and
 * symlink rule as load/servers-tree.ts, read synchronously (for tens of thousands of small files the promise
 * API's round trips cost more than the reads) and kept only as the facts the rules use.
 */
async function readSiblings(root: string, skip: ReadonlySet<string>): Promise<RegistryFile[]> {
  const files = await listSourceFiles(resolve(root, SERVERS_DIR)).catch(() => [] as SourceFile[]);
  const out: RegistryFile[] = [];
  for (const file of files) {
    const path = treeLabel(root, file.absolute);
    if (skip.has(path)) continue;
    try {
      // Checked again at read time: the listing may be older than the file.
      if (file.symlink || lstatSync(file.absolute).isSymbolicLink()) {
        out.push({ path });
        continue;
      }
      out.push(registryFacts(path, JSON.parse(readFileSync(file.absolute, 'utf8').replace(/^\uFEFF/, ''))));
    } catch {
      // An unreadable file is validate's to report; it cannot conflict with anything.
      out.push({ path });
    }
  }
  return out;
}

export async function validateTree(
  root: string,
  config: RegistryConfig,
  paths: readonly string[] = [SERVERS_DIR],
  verdicts?: VerdictCache,
  options: TreeOptions = {},
): Promise<TreeValidation> {
  const expanded = (await Promise.all(paths.map((p) => expand(root, p)))).flat();
  const unique = [...new Map(expanded.map((c) => [c.label, c])).values()];
  const checked = await mapConcurrent(unique, READ_CONCURRENCY, (c) => checkFile(c, root, config, verdicts, options.entries));

  const asked = new Set(unique.map((c) => c.label));
  // When all of servers/ was asked for, a second walk of it would find no sibling.
  const wholeTree = paths.some((p) => resolve(root, p) === resolve(root, SERVERS_DIR));
  const needSiblings = !wholeTree && unique.some((c) => isUnderServers(c.label));
  const siblings = !needSiblings ? [] : options.siblings !== undefined ? options.siblings.filter((f) => !asked.has(f.path)) : await readSiblings(root, asked);
  const findings = registryFindings(
    [
      ...checked.map((c) => (c.value === undefined ? { path: c.report.path } : { path: c.report.path, value: c.value as Record<string, unknown> })),
      ...siblings,
    ],
    { ...(options.released ? { released: options.released } : {}), newcomers: !wholeTree },
  );

  const isMirrored = (c: Checked): boolean =>
    options.mirrored !== undefined &&
    typeof c.value?.name === 'string' &&
    typeof c.value.version === 'string' &&
    options.mirrored(c.value.name, c.value.version);
  const reports = checked.map((c) => {
    const mirrored = isMirrored(c);
    const own = mirrored ? fileReport(c.report.path, relaxMirrored(c.report.diagnostics)) : c.report;
    const found = findings.get(c.report.path);
    const extra = found && mirrored ? relaxMirrored(found) : found;
    const text = c.text ?? (extra && c.value !== undefined && c.absolute !== undefined ? readText(c.absolute) : undefined);
    if (!extra || text === undefined) return own;
    const locator = createPositionLocator(text);
    const added: Diagnostic[] = extra.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      pointer: f.pointer,
      ...locator.locate(f.pointer),
    }));
    return fileReport(c.report.path, [...own.diagnostics, ...added].sort(compareDiagnostics));
  });

  const entries: ValidatedEntry[] = [];
  reports.forEach((r, i) => {
    const c = checked[i];
    if (!r.ok || c?.value === undefined || !isUnderServers(r.path)) return;
    entries.push({
      path: r.path,
      server: c.value,
      ...(c.sha256 === undefined ? {} : { sha256: c.sha256 }),
      ...(c.absolute === undefined || c.contentHash === undefined ? {} : { file: { absolute: c.absolute, contentHash: c.contentHash } }),
    });
  });
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { report: report(reports.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))), entries };
}
