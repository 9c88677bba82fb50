/**
 * Error bodies as the official server sends them (problem+json `{title, status, detail, errors?}`)
 * with the spec's `error` field added, so both kinds of client can read them.
 */
import type { ErrorBody } from '../core/api-types.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  414: 'URI Too Long',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

export function errorBody(status: number, detail: string, errors?: ErrorBody['errors']): ErrorBody {
  const body: ErrorBody = { title: TITLES[status] ?? 'Error', status, detail, error: detail };
  if (errors) body.errors = errors;
  return body;
}

/** One query parameter that failed its declared type or bounds. */
export interface ParamError {
  location: string;
  message: string;
  value: unknown;
}

/**
 * Huma's answer when query parameters fail their declared type or bounds: every failing
 * parameter in one 422, in the order the operation declares them.
 */
export function validationFailed(location: string, message: string, value: unknown, more: readonly ParamError[] = []): ErrorBody {
  return errorBody(422, 'validation failed', [{ location, message, value }, ...more]);
}

export const MESSAGES = {
  serverNotFound: 'Server not found',
  badCursor: 'Invalid cursor parameter',
  badUpdatedSince: 'Invalid updated_since format: expected RFC3339 timestamp (e.g., 2025-08-07T13:15:04.280Z)',
  sinceWithoutDeleted: 'Cannot set include_deleted=false when using updated_since (incremental sync requires deleted servers)',
  nulInSearch: 'Invalid search parameter: it contains a NUL byte',
  noRoute: 'No API endpoint at this path',
  methodNotAllowed: 'Only GET, HEAD and OPTIONS are supported; this registry is read-only (publish by pull request)',
  uriTooLong: 'The request URI is longer than 8192 bytes',
  requestTimeout: 'The request did not arrive in time; send it whole, without pauses',
} as const;
