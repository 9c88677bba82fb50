/** Every diagnostic code validation can report; docs/rules.md and the fixtures must cover each one. */
import { LOAD_CODES } from '../load/codes.ts';
import { REGISTRY_CODES } from './registry-rules.ts';
import { RULES } from './rules/index.ts';

export { LOAD_CODES };

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
