/** Diagnostics are values: every check returns them, only renderers turn them into text. */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable identifier, `area/what` (e.g. `name/format`); documented in docs/rules.md. */
  code: string;
  severity: Severity;
  /** Says what is wrong and what to do about it. */
  message: string;
  /** RFC 6901 JSON pointer into the document ('' for the whole document). */
  pointer: string;
  /** 1-based; 0 when no position is known. */
  line: number;
  column: number;
}

export interface DiagnosticPlace {
  /** Default '' (the whole document). */
  pointer?: string;
  /** Default 0 (not known): a renderer or a position locator fills it from the pointer. */
  line?: number;
  column?: number;
  /** Default 'error'. */
  severity?: Severity;
}

/** The one way to make a diagnostic: code and message, and where when it is known. */
export function diagnostic(code: string, message: string, place: DiagnosticPlace = {}): Diagnostic {
  return { code, severity: place.severity ?? 'error', message, pointer: place.pointer ?? '', line: place.line ?? 0, column: place.column ?? 0 };
}

export function warning(code: string, message: string, place: Omit<DiagnosticPlace, 'severity'> = {}): Diagnostic {
  return diagnostic(code, message, { ...place, severity: 'warning' });
}

export interface FileReport {
  path: string;
  ok: boolean;
  diagnostics: Diagnostic[];
}

export interface Report {
  ok: boolean;
  files: FileReport[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function fileReport(path: string, diagnostics: Diagnostic[]): FileReport {
  return { path, ok: !hasErrors(diagnostics), diagnostics };
}

export function report(files: FileReport[]): Report {
  return { ok: files.every((f) => f.ok), files };
}
