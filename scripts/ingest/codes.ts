/**
 * Every code the ingest stage (`import` and `sync`) reports, by the step that reports it. The
 * `import/`, `entry/` and `commit/` codes are documented in docs/import.md, the `sync/` codes in
 * docs/subregistry.md (core/code-docs.ts maps each area to its page).
 */

/** Reading an import file. */
export const IMPORT_CODES = [
  'import/not-json',
  'import/unknown-shape',
  'import/not-a-server-response',
  'import/not-a-server',
  'import/unknown-registry-type',
  'import/missing-package-version',
  'import/dropped-field',
  'import/dropped-package',
  'import/dropped-remote',
  'import/empty-repository',
  'import/schema-added',
  'import/description-shortened',
  'import/argument-split',
] as const;

export type ImportCode = (typeof IMPORT_CODES)[number];

/** Checking one entry before it is written (import and sync share them). */
export const ENTRY_CODES = [
  'entry/unsafe-name',
  'entry/unsafe-version',
  'entry/reserved-meta',
  'entry/invalid-upstream-meta',
  'entry/duplicate',
  'entry/duplicate-conflict',
  'entry/immutable-conflict',
] as const;

export type EntryCode = (typeof ENTRY_CODES)[number];

/** Committing a plan to the tree (commit-files.ts). */
export const COMMIT_CODES = ['commit/recovered', 'commit/stale-staging', 'commit/unreadable-status'] as const;

export type CommitCode = (typeof COMMIT_CODES)[number];

/** Walking an upstream and planning a sync. */
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
  'sync/rename-conflict',
  'sync/log-unavailable',
  'sync/log-checkpoint',
  'sync/log-tiles',
  'sync/log-entry',
  'sync/log-file',
  'sync/log-inconsistent',
  'sync/log-fetch',
  'sync/log-key-unpinned',
] as const;

export type SyncCode = (typeof SYNC_CODES)[number];

/** Every code of the stage, for the registry of codes (cli/codes.ts). */
export const INGEST_CODES = [...IMPORT_CODES, ...ENTRY_CODES, ...COMMIT_CODES, ...SYNC_CODES] as const;

export type IngestCode = (typeof INGEST_CODES)[number];
