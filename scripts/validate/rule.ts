/** The shape every validation rule shares: a small pure function with stable codes. */
import type { RegistryConfig } from '../config/registry-config.ts';
import type { Severity } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import type { ValidateCode } from './codes.ts';

/** A diagnostic before it has a position in the file. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** RFC 6901 pointer to the offending value. */
  pointer: string;
  /** Point at the property name rather than its value (unknown or misspelled properties). */
  atKey?: boolean;
  /**
   * A rule of this registry's own, stricter than the official registry's (docs/rules.md, "Stricter
   * than the official registry"). With `strictRules: false`, and on mirrored entries, it is a warning.
   */
  strict?: true;
}

export interface RuleContext {
  config: RegistryConfig;
}

/** The parsed document as rules see it: any JSON object, schema-valid or not, so rules read it defensively. */
export type Doc = Record<string, unknown>;

export interface Rule {
  /** Every code this rule can report; docs/rules.md documents each. */
  codes: readonly string[];
  check: (doc: Doc, context: RuleContext) => Finding[];
}

export function stringAt(record: unknown, key: string): string | undefined {
  if (!isRecord(record)) return undefined;
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

export function recordsAt(record: unknown, key: string): Record<string, unknown>[] {
  if (!isRecord(record)) return [];
  const value = record[key];
  return Array.isArray(value) ? value.map((v) => (isRecord(v) ? v : {})) : [];
}

export function error(code: ValidateCode, pointer: string, message: string): Finding {
  return { code, severity: 'error', pointer, message };
}

/** An error the official registry would not raise: see `Finding.strict`. */
export function strictError(code: ValidateCode, pointer: string, message: string): Finding {
  return { code, severity: 'error', pointer, message, strict: true };
}

/** Strict errors as warnings, for a registry that runs with `strictRules: false` or for mirrored entries. */
export function relaxStrict(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => (f.strict && f.severity === 'error' ? { ...f, severity: 'warning' } : f));
}

/**
 * Every finding of a mirrored entry as a warning: the upstream registry already serves it, so this
 * registry keeps it unchanged and records what its own rules think of it (docs/import.md).
 */
export function relaxMirrored<T extends { severity: Severity; code: string }>(findings: readonly T[]): T[] {
  // Two spellings of one name cannot both live in one tree (case-insensitive file systems).
  return findings.map((f) => (f.severity === 'error' && f.code !== 'registry/name-case-conflict' ? { ...f, severity: 'warning' } : f));
}

export function warning(code: ValidateCode, pointer: string, message: string): Finding {
  return { code, severity: 'warning', pointer, message };
}
