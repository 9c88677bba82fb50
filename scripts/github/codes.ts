/** Every code the PR check reports about the change itself; docs/publishing.md has each. Lifecycle codes are in lifecycle/codes.ts. */
export const PR_CHECK_CODES = [
  'immutability/modified',
  'immutability/deleted',
  'immutability/renamed',
  'immutability/mode-changed',
  'pr/not-a-regular-file',
  'pr/unexpected-path',
  'pr/path-control-character',
  'pr/outside-registry',
  'pr/too-many-files',
  'pr/check-missing',
  'pr/check-error',
] as const;

export type PrCheckCode = (typeof PR_CHECK_CODES)[number];
