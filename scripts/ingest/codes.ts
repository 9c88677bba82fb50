/** Every code reading an import file reports; docs/import.md has each. */
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

/** Every code checking one entry before it is written (import and sync share them); docs/import.md has each. */
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

/** Every code committing a plan to the tree reports (commit-files.ts); docs/import.md has each. */
export const COMMIT_CODES = ['commit/recovered'] as const;

export type CommitCode = (typeof COMMIT_CODES)[number];
