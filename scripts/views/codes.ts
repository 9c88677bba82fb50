/**
 * Every code about the approved list, registry/approved.yaml: the build's (approvals.ts, approval-meta.ts)
 * and the PR check's (github/approval-review.ts); docs/subregistry.md has each.
 */
export const VIEW_CODES = [
  'approval/yaml',
  'approval/shape',
  'approval/unknown-server',
  'approval/reserved-key',
  'approval/changed',
  'approval/recorded-by-other',
] as const;

export type ViewCode = (typeof VIEW_CODES)[number];
