/**
 * Decides, for a batch of incoming entries, which files to write and which entries to refuse
 * (pure: validation, the existing tree and the policy are passed in).
 */
import type { ServerJson } from '../core/api-types.ts';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { diagnostic, hasErrors, warning } from '../core/diagnostics.ts';
import { compareStrings } from '../core/compare.ts';
import type { RegistryConfig } from '../config/registry-config.ts';
import { registryFindings } from '../validate/registry-rules.ts';
import { relaxMirrored } from '../validate/rule.ts';
import type { RegistryFile } from '../validate/registry-rules.ts';
import type { EntryCode } from './codes.ts';
import { entryPath } from './entry-path.ts';
import { renderEntry, reservedMetaDiagnostics } from './entry-checks.ts';
import type { ImportItem, UpstreamOfficial } from './read-import.ts';

/** The lead's single-document validator (scripts/validate/validate-document.ts). */
export type ValidateDocument = (text: string, path: string, config: RegistryConfig) => FileReport & { value?: ServerJson };

export interface AcceptedEntry {
  path: string;
  server: ServerJson;
  official: UpstreamOfficial;
  /** True when the file did not exist and will be written. */
  isNew: boolean;
  /** A mirrored entry (ImportItem.mirrored). */
  mirrored?: true;
  /** For a mirrored entry: what this registry's rules refuse in it (`code at pointer`), kept in provenance. */
  warnings?: string[];
}

export interface QuarantinedEntry {
  pointer: string;
  name: unknown;
  version: unknown;
  diagnostics: Diagnostic[];
  document: Record<string, unknown>;
}

export interface SkippedEntry {
  pointer: string;
  name: string;
  version: string;
  reason: string;
}

export interface EntryPlan {
  /** Files to create, sorted by path. */
  writes: { path: string; text: string }[];
  accepted: AcceptedEntry[];
  quarantined: QuarantinedEntry[];
  skipped: SkippedEntry[];
  /** Warnings about accepted entries (mapping notes, duplicates) and errors about conflicts. */
  notes: { pointer: string; diagnostics: Diagnostic[] }[];
}

export interface PlanContext {
  config: RegistryConfig;
  validate: ValidateDocument;
  /** The current bytes of a registry file, undefined when it does not exist. */
  readExisting: (path: string) => string | undefined;
  /** Entries already under servers/, for the registry-wide rules (name case, remote URLs). */
  tree?: readonly RegistryFile[];
  /** Policy and precedence: a reason to leave the entry out, or undefined to keep it. */
  exclude?: (server: ServerJson, official: UpstreamOfficial) => string | undefined;
}

/**
 * Two spellings of one name share a folder on case-insensitive file systems and one status and
 * provenance file, so even a mirrored entry that adds the second spelling cannot be kept.
 */
const UNREPRESENTABLE = 'registry/name-case-conflict';

/** `code at pointer` of each error, sorted and unique: what provenance records for a mirrored entry. */
export function mirroredRefusals(diagnostics: readonly Diagnostic[]): string[] {
  return [...new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} at ${d.pointer || '/'}`))].sort(compareStrings);
}

function shift(diagnostics: Diagnostic[], pointer: string): Diagnostic[] {
  return diagnostics.map((d) => ({ ...d, pointer: `${pointer}${d.pointer}` }));
}

export function planEntries(items: readonly ImportItem[], ctx: PlanContext): EntryPlan {
  const plan: EntryPlan = { writes: [], accepted: [], quarantined: [], skipped: [], notes: [] };
  const taken = new Map<string, string>();
  for (const item of items) {
    const { server } = item;
    const quarantine = (diagnostics: Diagnostic[]): void => {
      plan.quarantined.push({
        pointer: item.pointer,
        name: server.name,
        version: server.version,
        diagnostics: [...item.notes, ...diagnostics],
        document: server,
      });
    };
    if (item.refused !== undefined && item.refused.length > 0) {
      quarantine(item.refused);
      continue;
    }
    const where = entryPath(server.name, server.version);
    if (!where.ok) {
      quarantine([where.error]);
      continue;
    }
    const path = where.value;
    const reserved = reservedMetaDiagnostics(server);
    if (reserved.length > 0) {
      quarantine(reserved);
      continue;
    }
    const text = renderEntry(server);
    const previous = taken.get(path);
    if (previous !== undefined) {
      const duplicate: Diagnostic =
        previous === text
          ? warning('entry/duplicate' satisfies EntryCode, `${path} appears twice with the same content; the repeat is ignored`)
          : diagnostic('entry/duplicate-conflict' satisfies EntryCode, `${path} appears twice with different content; the first one is kept, this one refused`);
      if (duplicate.severity === 'error') quarantine([duplicate]);
      else plan.notes.push({ pointer: item.pointer, diagnostics: [duplicate] });
      continue;
    }
    const validation = ctx.validate(text, path, ctx.config);
    // A mirrored entry is already served by the upstream: our rules' errors become warnings kept in
    // provenance. Only an entry that does not even parse as an object is refused.
    const refusals = item.mirrored ? mirroredRefusals(validation.diagnostics) : [];
    const diagnostics = item.mirrored ? relaxMirrored(validation.diagnostics) : validation.diagnostics;
    if (hasErrors(diagnostics) || validation.value === undefined) {
      quarantine(validation.diagnostics);
      continue;
    }
    const reason = ctx.exclude?.(validation.value, item.official);
    if (reason !== undefined) {
      plan.skipped.push({ pointer: item.pointer, name: validation.value.name, version: validation.value.version, reason });
      continue;
    }
    taken.set(path, text);
    const existing = ctx.readExisting(path);
    if (existing !== undefined && existing !== text && !sameDocument(existing, text)) {
      plan.notes.push({
        pointer: item.pointer,
        diagnostics: [
          diagnostic(
            'entry/immutable-conflict' satisfies EntryCode,
            `${path} already exists with different content; published versions are immutable, so the registry's file is kept. Publish a new version upstream instead`,
          ),
        ],
      });
      continue;
    }
    const warnings = [...item.notes, ...shift(diagnostics, '')];
    if (warnings.length > 0) plan.notes.push({ pointer: item.pointer, diagnostics: warnings });
    if (existing === undefined) plan.writes.push({ path, text });
    plan.accepted.push({
      path,
      server: validation.value,
      official: item.official,
      isNew: existing === undefined,
      ...(item.mirrored ? { mirrored: true as const } : {}),
      ...(refusals.length > 0 ? { warnings: refusals } : {}),
    });
  }
  refuseRegistryConflicts(plan, items, ctx.tree ?? []);
  plan.writes.sort((a, b) => compareStrings(a.path, b.path));
  return plan;
}

/**
 * The rules validate applies across servers/ (a name in two spellings, a remote URL claimed by two
 * names), run over the tree plus the new files: a new entry that would break them is quarantined,
 * so the registry still builds after the import or sync.
 */
function refuseRegistryConflicts(plan: EntryPlan, items: readonly ImportItem[], tree: readonly RegistryFile[]): void {
  const fresh = plan.accepted.filter((a) => a.isNew);
  if (fresh.length === 0) return;
  const findings = registryFindings([...tree, ...fresh.map((a) => ({ path: a.path, value: a.server as Record<string, unknown> }))]);
  const refused = new Set<string>();
  for (const entry of fresh) {
    const errors = (findings.get(entry.path) ?? []).filter((f) => f.severity === 'error');
    if (errors.length === 0) continue;
    if (entry.mirrored && errors.every((f) => f.code !== UNREPRESENTABLE)) {
      // The upstream serves both: keep them, and say so in provenance.
      entry.warnings = [...new Set([...(entry.warnings ?? []), ...errors.map((f) => `${f.code} at ${f.pointer || '/'}`)])].sort(compareStrings);
      continue;
    }
    refused.add(entry.path);
    const item = items.find((i) => i.server.name === entry.server.name && i.server.version === entry.server.version);
    plan.quarantined.push({
      pointer: item?.pointer ?? '',
      name: entry.server.name,
      version: entry.server.version,
      diagnostics: errors.map((f) => diagnostic(f.code, f.message, { pointer: f.pointer, severity: f.severity })),
      document: entry.server as Record<string, unknown>,
    });
  }
  if (refused.size === 0) return;
  plan.accepted = plan.accepted.filter((a) => !refused.has(a.path));
  plan.writes = plan.writes.filter((w) => !refused.has(w.path));
}

/** Same JSON value, whatever the formatting: an author's own layout is not a conflict. */
function sameDocument(a: string, b: string): boolean {
  try {
    return canonical(JSON.parse(a.replace(/^\uFEFF/, ''))) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
