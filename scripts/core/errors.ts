/**
 * Errors that end a command. Only the CLI entry maps them to exit codes:
 * 0 success, 1 the input failed a check, 2 usage or environment error.
 */
export type UsageErrorCode = 'usage' | 'environment';

export class CliError extends Error {
  readonly kind: UsageErrorCode;
  constructor(kind: UsageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.kind = kind;
  }
}

export function usageError(message: string): CliError {
  return new CliError('usage', message);
}

export function environmentError(message: string, cause?: unknown): CliError {
  return new CliError('environment', message, { cause });
}

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;
