/**
 * Every `lifecycle/…` code: status files and their transitions (this folder) and the PR check's
 * rules for changing them (github/); docs/publishing.md has each.
 */
export const LIFECYCLE_CODES = [
  'lifecycle/yaml',
  'lifecycle/shape',
  'lifecycle/status',
  'lifecycle/message-required',
  'lifecycle/message-with-active',
  'lifecycle/message-too-long',
  'lifecycle/time',
  'lifecycle/unknown-server',
  'lifecycle/unknown-version',
  'lifecycle/latest-deleted',
  'lifecycle/state-removed',
  'lifecycle/signature-moved',
  'lifecycle/signature-replayed',
  'lifecycle/signature-base-mismatch',
  'lifecycle/signature-expired',
  'lifecycle/signature-without-status',
  'lifecycle/maintainer-decision',
  'lifecycle/maintainer-claim',
  'lifecycle/rename-cycle',
  'lifecycle/rename-chain',
  'lifecycle/rename-exists',
  'lifecycle/rename-target-taken',
  'lifecycle/rename-not-owner',
  'lifecycle/rename-with-other-changes',
  'lifecycle/rename-account-mismatch',
  'lifecycle/rename-record-changed',
  'lifecycle/transfer-without-consent',
  'lifecycle/owner-record-mismatch',
  'lifecycle/owner-record-changed',
  'lifecycle/publisher-account-mismatch',
  'lifecycle/handover-without-proof',
] as const;

export type LifecycleCode = (typeof LIFECYCLE_CODES)[number];
