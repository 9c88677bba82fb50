/**
 * Every diagnostic code of every stage, from each stage's own list. The CLI sits above every
 * stage, so this is the one module that may gather them; docs pages come from core/code-docs.ts.
 */
import { PUBLISH_CODES } from '../author/codes.ts';
import { CATALOG_CODES } from '../catalog/codes.ts';
import { BUILD_CODES } from '../emit/codes.ts';
import { PR_CHECK_CODES } from '../github/codes.ts';
import { INGEST_CODES } from '../ingest/codes.ts';
import { INSPECT_CODES } from '../inspect/codes.ts';
import { LIFECYCLE_CODES } from '../lifecycle/codes.ts';
import { LOAD_CODES } from '../load/codes.ts';
import { STATE_CODES } from '../state/codes.ts';
import { OVERLAY_CODES } from '../policy/codes.ts';
import { README_CODES } from '../readme/codes.ts';
import { ALL_CODES as VALIDATE_CODES } from '../validate/codes.ts';
import { VERIFY_CODES } from '../verify/codes.ts';
import { VIEW_CODES } from '../views/codes.ts';

export interface StageCodes {
  stage: string;
  codes: readonly string[];
}

export const STAGE_CODES: readonly StageCodes[] = [
  { stage: 'load', codes: LOAD_CODES },
  { stage: 'validate', codes: VALIDATE_CODES.filter((c) => !(LOAD_CODES as readonly string[]).includes(c)) },
  { stage: 'verify', codes: VERIFY_CODES.map((c) => `verify/${c}`) },
  { stage: 'policy', codes: OVERLAY_CODES },
  { stage: 'state', codes: STATE_CODES },
  { stage: 'catalog', codes: CATALOG_CODES },
  { stage: 'views', codes: VIEW_CODES },
  { stage: 'build', codes: BUILD_CODES },
  { stage: 'ingest', codes: INGEST_CODES },
  { stage: 'lifecycle', codes: LIFECYCLE_CODES },
  { stage: 'pr-check', codes: PR_CHECK_CODES },
  { stage: 'publish', codes: PUBLISH_CODES },
  { stage: 'inspect', codes: INSPECT_CODES },
  { stage: 'readme', codes: README_CODES },
];

export const ALL_DIAGNOSTIC_CODES: readonly string[] = STAGE_CODES.flatMap((s) => s.codes);
