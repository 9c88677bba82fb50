/**
 * The two shapes a fallible pure step returns. `Result` carries a value or one error (a message,
 * an error body, one diagnostic). `Reported` is for steps whose answer is a list of diagnostics:
 * a value may come with warnings (or errors a later step places), and no value comes with at
 * least one error. Exceptions stay for what ends a command (core/errors.ts).
 */
import type { Diagnostic } from './diagnostics.ts';

export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export type Reported<T> = { ok: true; value: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
