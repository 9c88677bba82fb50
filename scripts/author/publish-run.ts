/** The publish flow shared by the Action and the CLI: read → plan → open the PR. I/O through the arguments. */
import { readFile } from 'node:fs/promises';
import { parseRegistryConfig } from '../config/registry-config.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { createGitHubClient } from '../github/github-client.ts';
import { openRegistryPr, type PublishOutcome } from './open-pr.ts';
import { planPublication } from './publish-plan.ts';

export interface PublishRequest {
  file: string;
  /** Shown in diagnostics (the path as the user gave it). */
  label: string;
  version?: string;
  registry: string;
  baseBranch?: string;
  apiUrl: string;
  token: string;
  dryRun?: boolean;
  forkWaitMs?: number;
}

export type PublishRunResult =
  | { ok: false; diagnostics: Diagnostic[] }
  | { ok: true; path: string; warnings: Diagnostic[]; outcome?: PublishOutcome };

export async function publishServer(request: PublishRequest): Promise<PublishRunResult> {
  let text: string;
  try {
    text = await readFile(request.file, 'utf8');
  } catch (error) {
    throw environmentError(`cannot read ${request.label}: ${(error as Error).message}`, error);
  }
  // The target registry's PR check applies its own policy; here the official defaults catch mistakes early.
  const planned = planPublication(text, { ...(request.version !== undefined ? { version: request.version } : {}), config: parseRegistryConfig(undefined), label: request.label });
  if (!planned.ok) return { ok: false, diagnostics: planned.diagnostics };
  if (request.dryRun) return { ok: true, path: planned.plan.path, warnings: planned.warnings };
  const octokit = createGitHubClient({ baseUrl: request.apiUrl, token: request.token });
  const outcome = await openRegistryPr(octokit, planned.plan, {
    registry: request.registry,
    ...(request.baseBranch ? { baseBranch: request.baseBranch } : {}),
    ...(request.forkWaitMs !== undefined ? { forkWaitMs: request.forkWaitMs } : {}),
  });
  return { ok: true, path: planned.plan.path, warnings: planned.warnings, outcome };
}
