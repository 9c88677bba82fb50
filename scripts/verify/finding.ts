/** Verify results are ordinary diagnostics with `verify/…` codes (see docs/verification.md). */
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic, Severity } from '../core/diagnostics.ts';
import type { HttpFailure } from '../net/http-client.ts';
import type { VerifyCode } from './codes.ts';

export function finding(code: VerifyCode, message: string, pointer: string, severity: Severity = 'error'): Diagnostic {
  return diagnostic(`verify/${code}`, message, { pointer, severity });
}

/** A service that could not be asked: not the author's fault, but nothing was proven either. */
export function unreachable(what: string, failure: HttpFailure, pointer: string): Diagnostic {
  const code: VerifyCode =
    failure.code === 'ssrf-refused' || failure.code === 'redirect-refused' || failure.code === 'insecure-url'
      ? 'url-refused'
      : failure.code === 'too-large'
        ? 'response-too-large'
        : 'service-unreachable';
  return finding(code, `${what}: ${failure.message}`, pointer);
}

/** Codes that say a service could not be asked, rather than that the input is wrong. */
export function isEnvironmentFinding(d: Diagnostic): boolean {
  return d.code === 'verify/service-unreachable';
}

/** The HTTP client verification uses (undici) needs this Node major or later. */
export const VERIFY_MIN_NODE = 22;
