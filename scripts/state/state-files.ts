/**
 * Registry-owned state files as the build reads them for the catalog. Pure: YAML text → typed value, or
 * diagnostics with line, column and pointer. Status files use the parser the lifecycle commands
 * use, overlays the policy's overlay check, so that a file the build accepts is one those commands accept.
 */
import { LineCounter, parseDocument } from 'yaml';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { escapeToken } from '../core/json-pointer.ts';
import type { OverlayFile, ProvenanceFile, StatusFile } from '../core/registry-state.ts';
import { canonicalInstant } from '../core/compare.ts';
import { parseStatusFile } from './status-file.ts';
import { createPositionLocator } from '../load/positions.ts';
import { validateOverlay } from '../policy/overlay-schema.ts';
import type { OverlayValidator } from '../policy/overlay-schema.ts';

export interface ParsedState<T> {
  value?: T;
  diagnostics: Diagnostic[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function readYaml(text: string): ParsedState<unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const diagnostics = doc.errors.map((error): Diagnostic => {
    const pos = error.linePos?.[0];
    return diagnostic('state/yaml', `not valid YAML: ${error.message.split('\n')[0]}; fix the syntax`, { line: pos?.line ?? 0, column: pos?.col ?? 0 });
  });
  return diagnostics.length > 0 ? { diagnostics } : { value: doc.toJS() as unknown, diagnostics };
}

/** Line and column for diagnostics that only know their pointer. */
function withPositions(text: string, diagnostics: Diagnostic[]): Diagnostic[] {
  if (!diagnostics.some((d) => d.line === 0)) return diagnostics;
  const locator = createPositionLocator(text);
  return diagnostics.map((d) => (d.line === 0 ? { ...d, ...locator.locate(d.pointer) } : d));
}

export function parseStatusState(text: string): ParsedState<StatusFile> {
  const parsed = parseStatusFile(text);
  return parsed.value === undefined ? { diagnostics: parsed.diagnostics } : { value: parsed.value, diagnostics: parsed.diagnostics };
}

export function parseOverlayState(text: string, validate?: OverlayValidator): ParsedState<OverlayFile> {
  const yaml = readYaml(text);
  if (yaml.diagnostics.length > 0) return yaml as ParsedState<OverlayFile>;
  const raw = yaml.value ?? {};
  const diagnostics = validateOverlay(raw, validate);
  return diagnostics.length > 0 ? { diagnostics: withPositions(text, diagnostics) } : { value: raw as OverlayFile, diagnostics };
}

/** Only the upstream's dates matter here: a mirrored version keeps the upstream's publishedAt. */
export function parseUpstreamState(text: string): ParsedState<ProvenanceFile> {
  const yaml = readYaml(text);
  if (yaml.diagnostics.length > 0) return yaml as ParsedState<ProvenanceFile>;
  const raw = yaml.value;
  const problem = (pointer: string, message: string): ParsedState<ProvenanceFile> => ({
    diagnostics: withPositions(text, [diagnostic('state/upstream', message, { pointer })]),
  });
  if (!isRecord(raw) || typeof raw.upstream !== 'string') return problem('/upstream', "'upstream' must be the URL the entries were mirrored from");
  const value: ProvenanceFile = { upstream: raw.upstream, fetchedAt: String(raw.fetchedAt ?? '') };
  if (raw.versions !== undefined) {
    if (!isRecord(raw.versions)) return problem('/versions', "'versions' must map versions to {publishedAt, updatedAt, status}");
    const versions: NonNullable<ProvenanceFile['versions']> = {};
    for (const [version, entry] of Object.entries(raw.versions)) {
      if (!isRecord(entry)) continue;
      const dates: NonNullable<ProvenanceFile['versions']>[string] = {};
      for (const key of ['publishedAt', 'updatedAt'] as const) {
        const v = entry[key];
        if (v === undefined) continue;
        // YAML may have turned an unquoted timestamp into a Date.
        const text = v instanceof Date ? v.toISOString() : v;
        if (typeof text !== 'string' || !RFC3339.test(text) || Number.isNaN(Date.parse(text))) {
          return problem(`/versions/${escapeToken(version)}/${key}`, `${key} must be an RFC 3339 time such as 2025-09-08T23:47:09Z`);
        }
        dates[key] = canonicalInstant(text) ?? new Date(text).toISOString();
      }
      if (entry.isLatest === true) dates.isLatest = true;
      if (Array.isArray(entry.warnings)) dates.warnings = entry.warnings.filter((w): w is string => typeof w === 'string');
      versions[version] = dates;
    }
    value.versions = versions;
  }
  return { value, diagnostics: [] };
}
