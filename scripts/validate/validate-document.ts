/**
 * One server.json, from bytes to diagnostics: decode, parse, schema, rules, then positions.
 * Pure: no file system; the path is only a label.
 */
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerJson } from '../core/api-types.ts';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { fileReport } from '../core/diagnostics.ts';
import { decodeSource } from '../load/decode-source.ts';
import { parseJson } from '../load/parse-json.ts';
import { createPositionLocator } from '../load/positions.ts';
import type { Finding } from './rule.ts';
import { relaxStrict } from './rule.ts';
import { RULES } from './rules/index.ts';
import { editDistance, legacyFieldReplacement } from './rules/schema-version.ts';
import { tokensOf } from '../core/json-pointer.ts';
import { schemaFindings } from './schema.ts';

/** Schema codes that a rule says better when both fire at the same place. */
const SUPERSEDED_BY_RULES = new Set(['schema/pattern', 'schema/format']);

export interface DocumentValidation extends FileReport {
  /** The parsed document when it parsed as a JSON object (even if it has errors). */
  value?: ServerJson;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.message < b.message ? -1 : 1);
}

/** `"repository": {"url": "", "source": ""}`, which older tools wrote for "no repository". */
function isEmptyRepository(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => v === '');
}

/** For a missing property, a sibling key that looks like its misspelling (`identifer` for `identifier`). */
function misspellingHint(doc: Record<string, unknown>, pointer: string): string {
  const tokens = tokensOf(pointer);
  const missing = tokens.pop();
  let parent: unknown = doc;
  for (const t of tokens) parent = typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>)[t] : undefined;
  if (missing === undefined || typeof parent !== 'object' || parent === null || Array.isArray(parent)) return '';
  const typo = Object.keys(parent).find((key) => key !== missing && editDistance(key.toLowerCase(), missing.toLowerCase()) <= 2);
  return typo === undefined ? '' : ` (is '${typo}' a misspelling of it? rename it)`;
}

export function findingsFor(value: Record<string, unknown>, config: RegistryConfig): Finding[] {
  const ruleFindings = RULES.flatMap((rule) => rule.check(value, { config }));
  const rulePointers = new Set(ruleFindings.filter((f) => f.severity === 'error').map((f) => f.pointer));
  const emptyRepository = isEmptyRepository(value.repository);
  // 'registry_type' already says "rename it to 'registryType'"; a second error for the missing
  // 'registryType' at the same place would only repeat it.
  const renamedTo = new Set(
    ruleFindings
      .filter((f) => f.code === 'schema/legacy-field')
      .map((f) => `${f.pointer.slice(0, f.pointer.lastIndexOf('/'))}/${legacyFieldReplacement(f.pointer.slice(f.pointer.lastIndexOf('/') + 1)) ?? ''}`),
  );
  const schema = schemaFindings(value).filter(
    (f) =>
      !(f.code === 'schema/required' && renamedTo.has(f.pointer)) &&
      !(SUPERSEDED_BY_RULES.has(f.code) && rulePointers.has(f.pointer)) &&
      !(emptyRepository && f.pointer.startsWith('/repository')),
  );
  for (const f of schema) if (f.code === 'schema/required') f.message += misspellingHint(value, f.pointer);
  if (emptyRepository) {
    schema.push({
      code: 'repository/empty',
      severity: 'warning',
      pointer: '/repository',
      message: 'the repository object is empty; remove it, or fill in url and source so people can inspect the code',
      atKey: true,
    });
  }
  const all = [...schema, ...ruleFindings];
  return config.strictRules ? all : relaxStrict(all);
}

export function validateText(text: string, path: string, config: RegistryConfig): DocumentValidation {
  const parsed = parseJson(text);
  if (!parsed.ok) return fileReport(path, parsed.diagnostics);
  const value = parsed.value as Record<string, unknown>;
  const findings = findingsFor(value, config);
  const located: Diagnostic[] = [...parsed.diagnostics];
  if (findings.length > 0 || located.some((d) => d.line === 0)) {
    const locator = createPositionLocator(text);
    for (const d of located) if (d.line === 0) Object.assign(d, locator.locate(d.pointer, { key: true }));
    for (const f of findings) {
      located.push({ code: f.code, severity: f.severity, message: f.message, pointer: f.pointer, ...locator.locate(f.pointer, { key: f.atKey === true }) });
    }
  }
  return { ...fileReport(path, located.sort(compareDiagnostics)), value: value as ServerJson };
}

/** Validates the bytes of one file. */
export function validateBytes(bytes: Uint8Array, path: string, config: RegistryConfig): DocumentValidation {
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return fileReport(path, [decoded.error]);
  return validateText(decoded.value, path, config);
}

/** Validates an in-memory document (import, sync and publish use it). */
export function validateDocument(text: string, path: string, config: RegistryConfig): DocumentValidation {
  return validateBytes(new TextEncoder().encode(text), path, config);
}
