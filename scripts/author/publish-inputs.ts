/**
 * The one publish path of `mcp-registry publish` (the author CLI package) and the publish Action: the
 * inputs as the author gave them → validate, stamp, sign, verify packages and remotes, open the PR →
 * what happened, as a status and the sentences to show. The two front ends only read their inputs and
 * print; neither decides anything else, so hand and CI publishing cannot drift apart.
 */
import { ConfigError, parseRegistryConfig, withEndpointOverrides } from '../config/registry-config.ts';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { isEnvironmentFinding } from '../verify/finding.ts';
import type { PublishOutcome } from './open-pr.ts';
import { versionFromTag } from './publish-plan.ts';
import { publishServer, type PublishRequest } from './publish-run.ts';

/** Which front end asks: only the names of its switches differ in what the author reads. */
export type PublishFrontEnd = 'cli' | 'action';

const SKIP_SWITCH: Record<PublishFrontEnd, string> = { cli: '--no-verify', action: 'verify: false' };
const ENDPOINT_SWITCH: Record<PublishFrontEnd, string> = { cli: '--endpoint TYPE=URL', action: 'endpoints (one TYPE=URL a line)' };

export interface PublishInputs {
  frontEnd: PublishFrontEnd;
  /** Absolute path of the server.json. */
  file: string;
  /** The path as the author gave it (diagnostics name it). */
  label: string;
  registry: string;
  /** A version or a release tag (v1.2.3, refs/tags/weather/v1.2.3); absent: the file's version. */
  version?: string;
  baseBranch?: string;
  apiUrl: string;
  token: string;
  dryRun: boolean;
  signingKey?: string;
  /** Verify packages and remotes before the PR opens (the default of both front ends). */
  verify: boolean;
  /** Service base URLs for verification, `TYPE=URL` as `mcp-registry verify --endpoint` takes them. */
  endpoints: readonly string[];
  /** Tests: fork wait, clock and the verification HTTP client. */
  forkWaitMs?: number;
  now?: Date;
  http?: NonNullable<PublishRequest['verify']>['http'];
}

export type PublishStatus =
  /** An input is malformed (an endpoint that is not TYPE=URL): nothing was read or contacted. */
  | 'bad-input'
  /** The file failed validation or verification: nothing was opened. */
  | 'check-failed'
  /** Every error was a package registry that could not be reached: nothing was opened; try again or skip verification. */
  | 'unreachable'
  | 'dry-run'
  | 'opened'
  | 'already-published'
  /** The registry already holds different bytes for this version, or has no base branch. */
  | 'refused';

export interface PublishSummary {
  status: PublishStatus;
  /** `servers/<namespace>/<name>/<version>.json`; absent when the file was not valid. */
  path?: string;
  /** Validation and verification findings, located in the author's file. */
  diagnostics: Diagnostic[];
  outcome?: PublishOutcome;
  /** What verification proved, one sentence each; absent when nothing was verified. */
  proved?: string[];
  /** What was verified or skipped, for a person, one line each (the CLI's stderr, the Action's log). */
  notes: string[];
  /** The one line that says how it ended. */
  headline: string;
}

/** The verification config: the official defaults with the given endpoints; a malformed item is the error. */
export function verifyConfig(endpoints: readonly string[]): { ok: true; value: RegistryConfig } | { ok: false; error: string } {
  try {
    return { ok: true, value: withEndpointOverrides(parseRegistryConfig(undefined), endpoints) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: error.message };
    throw error;
  }
}

export async function publishFromInputs(inputs: PublishInputs): Promise<PublishSummary> {
  const skip = SKIP_SWITCH[inputs.frontEnd];
  const config = verifyConfig(inputs.endpoints);
  if (!config.ok) {
    const message = inputs.frontEnd === 'action' ? config.error.replace('--endpoint', 'endpoints') : config.error;
    return { status: 'bad-input', diagnostics: [], notes: [], headline: message };
  }
  const result = await publishServer({
    file: inputs.file,
    label: inputs.label,
    ...(inputs.version ? { version: versionFromTag(inputs.version) } : {}),
    registry: inputs.registry,
    ...(inputs.baseBranch ? { baseBranch: inputs.baseBranch } : {}),
    apiUrl: inputs.apiUrl,
    token: inputs.token,
    dryRun: inputs.dryRun,
    ...(inputs.signingKey ? { signingKey: inputs.signingKey } : {}),
    ...(inputs.forkWaitMs !== undefined ? { forkWaitMs: inputs.forkWaitMs } : {}),
    ...(inputs.now ? { now: inputs.now } : {}),
    ...(inputs.verify ? { verify: { config: config.value, ...(inputs.http ? { http: inputs.http } : {}) } } : {}),
  });
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 && errors.every(isEnvironmentFinding)) {
      return {
        status: 'unreachable',
        diagnostics: result.diagnostics,
        notes: [],
        headline: `no pull request was opened: a package registry could not be reached; try again (check ${ENDPOINT_SWITCH[inputs.frontEnd]}), or publish with ${skip}`,
      };
    }
    return {
      status: 'check-failed',
      diagnostics: result.diagnostics,
      notes: [],
      headline: `no pull request was opened: ${inputs.label} failed ${errors.length} check(s); fix them and run publish again`,
    };
  }
  const { path, outcome, proved } = result.value;
  const notes: string[] = [];
  if (proved) {
    notes.push("verified before opening the pull request (namespace ownership is proven by the registry's PR check):");
    notes.push(...(proved.length > 0 ? proved.map((line) => `  ✓ ${line}`) : ['  (no packages or remotes to verify)']));
  } else if (!inputs.dryRun) {
    notes.push(
      `not verified (${skip}): packages were not checked to name the server and remotes were not checked; the registry's PR check still verifies them and may fail`,
    );
  }
  const base = { path, diagnostics: result.diagnostics, notes, ...(proved ? { proved } : {}) };
  if (!outcome) return { ...base, status: 'dry-run', headline: `dry run: ${inputs.label} is valid and would be published as ${path}` };
  if (outcome.status === 'refused') return { ...base, outcome, status: 'refused', headline: `${outcome.code}: ${outcome.message}` };
  if (outcome.status === 'already-published') {
    return { ...base, outcome, status: 'already-published', headline: `${outcome.path} is already published with these exact bytes; nothing to do` };
  }
  return { ...base, outcome, status: 'opened', headline: `${outcome.status} ${outcome.url}` };
}
