/** Every diagnostic code validation can report; docs/rules.md and the fixtures must cover each one. */
import { LOAD_CODES } from '../load/codes.ts';
import type { LoadCode } from '../load/codes.ts';
import { REGISTRY_CODES } from './registry-rules.ts';
import { RULES, type RuleCode } from './rules/index.ts';

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

export type SchemaCode = (typeof SCHEMA_CODES)[number];
export type RegistryCode = (typeof REGISTRY_CODES)[number];
export type { RuleCode };

/** Every code `validate` reports: the loader's, the schema's, the rules' and the registry-wide rules'. */
export type ValidateCode = LoadCode | SchemaCode | RuleCode | RegistryCode;

export const ALL_CODES: readonly ValidateCode[] = [
  ...LOAD_CODES,
  ...SCHEMA_CODES,
  ...RULES.flatMap((rule): readonly RuleCode[] => rule.codes),
  ...REGISTRY_CODES,
];
