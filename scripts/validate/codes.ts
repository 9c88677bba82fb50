/** Every diagnostic code validation can report; docs/rules.md and the fixtures must cover each one. */
import { REGISTRY_CODES } from './registry-rules.ts';
import { RULES } from './rules/index.ts';

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

export const SCHEMA_CODES = [
  'schema/required',
  'schema/type',
  'schema/enum',
  'schema/pattern',
  'schema/length',
  'schema/format',
  'schema/invalid',
  'repository/empty',
] as const;

export const ALL_CODES: readonly string[] = [
  ...LOAD_CODES,
  ...SCHEMA_CODES,
  ...RULES.flatMap((rule) => rule.codes),
  ...REGISTRY_CODES,
];
