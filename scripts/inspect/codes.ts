/** Every code `inspect` reports; docs/inspection.md has each, with a bad and a good example. */
export const INSPECT_CODES = [
  'inspect/unreachable',
  'inspect/timeout',
  'inspect/auth-required',
  'inspect/protocol-error',
  'inspect/too-large',
  'inspect/ssrf-refused',
  'inspect/rate-limited',
  'inspect/budget-exhausted',
  'inspect/needs-configuration',
  'inspect/tools-changed',
  'inspect/not-answering',
  'inspect/state-invalid',
] as const;

export type InspectCode = (typeof INSPECT_CODES)[number];

/** Why an endpoint gave no inspection: the `error.code` of a result (the code without its area). */
export type FailureReason = 'unreachable' | 'timeout' | 'auth-required' | 'protocol-error' | 'too-large' | 'ssrf-refused' | 'rate-limited' | 'budget-exhausted';
