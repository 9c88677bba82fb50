/** Every code reading a file can report (decode-source.ts, parse-json.ts, the tree readers); docs/rules.md has each. */
export const LOAD_CODES = [
  'file/read-error',
  'file/too-large',
  'file/empty',
  'file/symlink',
  'encoding/bom',
  'encoding/invalid-utf8',
  'json/syntax',
  'json/trailing-content',
  'json/too-deep',
  'json/not-object',
  'json/duplicate-key',
  'json/forbidden-key',
] as const;

export type LoadCode = (typeof LOAD_CODES)[number];
