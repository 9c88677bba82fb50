/** Type guards for machine output we read back: the CLI's `--format json` report and the PR check's result artifact. */
import type { Diagnostic, FileReport, Report } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import type { PrCheckResult } from './pr-decision.ts';
import { isPrInspection } from './pr-inspection.ts';

export function isDiagnostic(v: unknown): v is Diagnostic {
  return (
    isRecord(v) &&
    typeof v.code === 'string' &&
    (v.severity === 'error' || v.severity === 'warning') &&
    typeof v.message === 'string' &&
    typeof v.pointer === 'string' &&
    Number.isInteger(v.line) &&
    Number.isInteger(v.column)
  );
}

export function isFileReport(v: unknown): v is FileReport {
  return isRecord(v) && typeof v.path === 'string' && typeof v.ok === 'boolean' && Array.isArray(v.diagnostics) && v.diagnostics.every(isDiagnostic);
}

/** The contract's `{"ok", "files": [...]}` document. */
export function isReport(v: unknown): v is Report {
  return isRecord(v) && typeof v.ok === 'boolean' && Array.isArray(v.files) && v.files.every(isFileReport);
}

const CHECK_STATES = ['passed', 'failed', 'skipped', 'pending'];
const KINDS = ['new-server', 'new-version', 'lifecycle', 'rename', 'approval', 'owner', 'other'];
const LABELS = ['new-server', 'new-version', 'needs-review', 'verified', 'invalid'];

function isFileResult(v: unknown): boolean {
  if (!isRecord(v) || typeof v.path !== 'string' || !KINDS.includes(v.kind as string)) return false;
  if (v.serverName !== undefined && typeof v.serverName !== 'string') return false;
  const checks = v.checks;
  if (!isRecord(checks)) return false;
  const names = ['immutability', 'validate', 'verify', 'ownership'];
  return names.every((n) => CHECK_STATES.includes(checks[n] as string)) && Array.isArray(v.diagnostics) && v.diagnostics.every(isDiagnostic);
}

/**
 * The result artifact as the privileged reporting job reads it. The artifact comes from a run whose workflow file
 * a PR could have changed, so every field is checked before use.
 */
export function isPrCheckResult(v: unknown): v is PrCheckResult {
  return (
    isRecord(v) &&
    v.schemaVersion === 1 &&
    Number.isSafeInteger(v.number) &&
    (v.number as number) > 0 &&
    typeof v.headSha === 'string' &&
    /^[0-9a-f]{40}$/.test(v.headSha) &&
    typeof v.ok === 'boolean' &&
    typeof v.autoMerge === 'boolean' &&
    Array.isArray(v.files) &&
    v.files.every(isFileResult) &&
    Array.isArray(v.diagnostics) &&
    v.diagnostics.every(isDiagnostic) &&
    Array.isArray(v.labels) &&
    v.labels.every((l) => LABELS.includes(l as string)) &&
    Array.isArray(v.reviewReasons) &&
    v.reviewReasons.every((r) => typeof r === 'string') &&
    (v.inspection === undefined || isPrInspection(v.inspection))
  );
}
