/** Every semantic rule, in the order their findings are reported. */
import type { Rule } from '../rule.ts';
import { argumentRules } from './arguments.ts';
import { iconRules, repositoryRules, titleRules, websiteRules } from './links.ts';
import { metaRules } from './meta.ts';
import { blockedNamespace, nameFormat } from './name.ts';
import { packageRules } from './packages.ts';
import { remoteRules } from './remotes.ts';
import { fieldNameRules, schemaVersionRules } from './schema-version.ts';
import { transportRules } from './transport.ts';
import { versionRules } from './version.ts';

export const RULES = [
  schemaVersionRules,
  fieldNameRules,
  nameFormat,
  blockedNamespace,
  versionRules,
  titleRules,
  repositoryRules,
  websiteRules,
  iconRules,
  packageRules,
  transportRules,
  argumentRules,
  remoteRules,
  metaRules,
] as const satisfies readonly Rule[];

/** Every code a semantic rule can report. */
export type RuleCode = (typeof RULES)[number]['codes'][number];
