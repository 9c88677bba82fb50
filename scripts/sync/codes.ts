/** Every `sync/…` code; docs/subregistry.md has each. Entries are checked with the import stage's `entry/…` codes. */
export const SYNC_CODES = [
  'sync/http',
  'sync/http-status',
  'sync/page-too-large',
  'sync/page-not-json',
  'sync/page-shape',
  'sync/cursor-loop',
  'sync/no-progress',
  'sync/too-many-pages',
  'sync/duplicate-entry',
  'sync/policy-changed',
  'sync/updated-since-unsupported',
  'sync/too-many-removals',
] as const;

export type SyncCode = (typeof SYNC_CODES)[number];
