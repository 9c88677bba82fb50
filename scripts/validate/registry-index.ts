/**
 * What the registry-wide rules (registry-rules.ts) read of a file they do not validate: its path, and of a JSON
 * object only `name`, `version` and each remote's `url`. A PR check validates the files it changes in full and
 * runs the registry-wide rules against this light view of the rest, read from git (github/tree-index.ts) or from
 * disk (validate-tree.ts); both give the rules the same values as the whole documents, so the verdicts are the
 * same. The index file passes it from the PR check to `validate --registry-index` and `verify --registry-index`.
 * Pure.
 */
import { isRecord } from '../core/is-record.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { RegistryFile } from './registry-rules.ts';

export const REGISTRY_INDEX_FORMAT = 'registry-index/1';

/** One file as the registry-wide rules see it: `[path]`, or `[path, name, version, remote URLs (null: no URL at that index)]`. */
type IndexRow = [string] | [string, string, string, (string | null)[]];

/**
 * The parts of `value` the registry-wide rules read. A value they skip (not an object, no string name or
 * version) keeps only its path; remotes keep their positions, so a remote without a URL stays a gap.
 */
export function registryFacts(path: string, value: unknown): RegistryFile {
  if (!isRecord(value) || typeof value.name !== 'string' || typeof value.version !== 'string') return { path };
  const remotes = Array.isArray(value.remotes) ? value.remotes.map((r) => (isRecord(r) && typeof r.url === 'string' ? { url: r.url } : {})) : [];
  return { path, value: { name: value.name, version: value.version, remotes } };
}

function rowOf(file: RegistryFile): IndexRow {
  const facts = registryFacts(file.path, file.value);
  const value = facts.value;
  if (value === undefined) return [file.path];
  const urls = (value.remotes as { url?: string }[]).map((r) => r.url ?? null);
  return [file.path, value.name as string, value.version as string, urls];
}

/** The index file: sorted by path, so equal trees give equal bytes. */
export function renderRegistryIndex(files: readonly RegistryFile[]): string {
  const rows = files.map(rowOf).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${JSON.stringify({ format: REGISTRY_INDEX_FORMAT, files: rows })}\n`;
}

function isRow(row: unknown): row is IndexRow {
  if (!Array.isArray(row) || typeof row[0] !== 'string') return false;
  if (row.length === 1) return true;
  return (
    row.length === 4 &&
    typeof row[1] === 'string' &&
    typeof row[2] === 'string' &&
    Array.isArray(row[3]) &&
    row[3].every((u: unknown) => u === null || typeof u === 'string')
  );
}

/** The files of an index file; an error when it is not one (the caller refuses to run on it). */
export function parseRegistryIndex(text: string): Result<RegistryFile[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return err(`not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value) || value.format !== REGISTRY_INDEX_FORMAT || !Array.isArray(value.files)) {
    return err(`not a ${REGISTRY_INDEX_FORMAT} file`);
  }
  const files: RegistryFile[] = [];
  for (const row of value.files as unknown[]) {
    if (!isRow(row)) return err(`an entry is not [path] or [path, name, version, urls]: ${JSON.stringify(row).slice(0, 120)}`);
    if (row.length === 1) files.push({ path: row[0] });
    else files.push({ path: row[0], value: { name: row[1], version: row[2], remotes: row[3].map((url) => (url === null ? {} : { url })) } });
  }
  return ok(files);
}
