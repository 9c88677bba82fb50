/** The publish flow shared by the Action and the CLI: read → plan → open the PR. I/O through the arguments. */
import { readFile } from 'node:fs/promises';
import { parseRegistryConfig } from '../config/registry-config.ts';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerJson } from '../core/api-types.ts';
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import type { Reported } from '../core/result.ts';
import { GitHubApiError, createGitHubClient } from '../net/github-client.ts';
import { createPositionLocator } from '../load/positions.ts';
import { parsePrivateKey } from '../sign/keys.ts';
import { serializeSignatureFile, signVersionFile } from '../sign/signature-file.ts';
import { VERIFY_MIN_NODE } from '../verify/finding.ts';
import type { VerifyOptions } from '../verify/verify-services.ts';
import { openRegistryPr, type PublishOutcome } from './open-pr.ts';
import type { PublishCode } from './codes.ts';
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
  /** Private key (PEM or hex, as `mcp-registry sign` takes it): signs the stamped file for a domain namespace. */
  signingKey?: string;
  now?: Date;
  /**
   * Verify packages and remotes before the pull request opens (what \`mcp-registry verify\` proves, namespace
   * ownership aside): the config's endpoints and allowed registries are used. Absent: not verified here.
   */
  verify?: { config: RegistryConfig; http?: VerifyOptions['http']; packageDeadlineMs?: number };
}

function problem(code: PublishCode, message: string): Diagnostic {
  return diagnostic(code, message);
}

export interface Publication {
  /** Where the file goes in the registry: `servers/<ns>/<name>/<version>.json`. */
  path: string;
  /** Absent on a dry run. */
  outcome?: PublishOutcome;
  /** What verification proved, one sentence each; absent when nothing was verified. */
  proved?: string[];
}

/** One sentence per package and remote that verification passed. */
export function proofs(server: ServerJson): string[] {
  const what: Record<string, string> = {
    npm: 'its mcpName',
    pypi: 'its README ("mcp-name:")',
    nuget: 'its README ("mcp-name:")',
    cargo: 'its README ("mcp-name:")',
    oci: 'its io.modelcontextprotocol.server.name label',
    mcpb: 'its fileSha256 matching the download',
  };
  const packages = (server.packages ?? []).map((p) => {
    const at = p.version ? `${p.identifier}@${p.version}` : p.identifier;
    return `the ${p.registryType} package ${at} exists and names ${server.name} in ${what[p.registryType] ?? 'its metadata'}`;
  });
  const remotes = (server.remotes ?? []).map((r) => `the remote ${r.url} is https on a public host`);
  return [...packages, ...remotes];
}

/** Runs the package and remote checks; errors located in the author's own file (pointers survive stamping). */
async function verifyBeforePr(server: ServerJson, text: string, verify: NonNullable<PublishRequest['verify']>, now: Date | undefined) {
  if ((server.packages?.length ?? 0) + (server.remotes?.length ?? 0) === 0) return [];
  const major = Number(process.versions.node.split('.')[0]);
  if (major < VERIFY_MIN_NODE) {
    throw environmentError(
      `verifying packages and remotes before publishing needs Node ${VERIFY_MIN_NODE} or later (this is ${process.versions.node}); run publish with a newer Node, or add --no-verify to publish unverified (the registry's PR check still verifies)`,
    );
  }
  // Loaded only when verifying: the HTTP client (undici) needs Node 22, and --no-verify publishing runs on Node 20.
  const { createVerifyServices } = await import('../verify/verify-services.ts');
  const { verifyArtifacts } = await import('../verify/verify-entry.ts');
  const services = createVerifyServices(verify.config, {
    ...(now ? { now } : {}),
    ...(verify.http ? { http: verify.http } : {}),
    ...(verify.packageDeadlineMs !== undefined ? { packageDeadlineMs: verify.packageDeadlineMs } : {}),
  });
  try {
    const found = await verifyArtifacts(server, services);
    const locator = createPositionLocator(text);
    return found.map((d) => ({ ...d, ...locator.locate(d.pointer) }));
  } finally {
    await services.close();
  }
}

export async function publishServer(request: PublishRequest): Promise<Reported<Publication>> {
  let text: string;
  try {
    text = await readFile(request.file, 'utf8');
  } catch (error) {
    throw environmentError(`cannot read ${request.label}: ${(error as Error).message}`, error);
  }
  // The target registry's PR check applies its own policy; here the official defaults catch mistakes early.
  const planned = planPublication(text, {
    ...(request.version !== undefined ? { version: request.version } : {}),
    config: parseRegistryConfig(undefined),
    label: request.label,
  });
  if (!planned.ok) return { ok: false, diagnostics: planned.diagnostics };
  if (request.signingKey) {
    // Signed after stamping: the signature must cover the exact bytes the registry will hold.
    const key = parsePrivateKey(request.signingKey);
    if (!key.ok) return { ok: false, diagnostics: [problem('publish/signing-key', `the signing key is not usable: ${key.error}`)] };
    const plan = planned.value;
    const signed = signVersionFile(key.value, {
      bytes: Buffer.from(plan.content, 'utf8'),
      name: plan.server.name,
      version: plan.server.version,
      now: request.now ?? new Date(),
    });
    if (!signed.ok) return { ok: false, diagnostics: [problem('publish/signing-key', `cannot sign: ${signed.error}`)] };
    plan.signature = serializeSignatureFile(signed.value);
  }
  if (request.dryRun) return { ok: true, value: { path: planned.value.path }, diagnostics: planned.diagnostics };
  let proved: string[] | undefined;
  if (request.verify) {
    const found = await verifyBeforePr(planned.value.server, text, request.verify, request.now);
    if (found.some((d) => d.severity === 'error')) return { ok: false, diagnostics: [...planned.diagnostics, ...found] };
    planned.diagnostics.push(...found);
    proved = proofs(planned.value.server);
  }
  const octokit = createGitHubClient({ baseUrl: request.apiUrl, token: request.token });
  let outcome: PublishOutcome;
  try {
    outcome = await openRegistryPr(octokit, planned.value, {
      registry: request.registry,
      ...(request.baseBranch ? { baseBranch: request.baseBranch } : {}),
      ...(request.forkWaitMs !== undefined ? { forkWaitMs: request.forkWaitMs } : {}),
    });
  } catch (error) {
    if (error instanceof GitHubApiError) throw environmentError(explainGitHubError(error, request.registry), error);
    throw error;
  }
  return { ok: true, value: { path: planned.value.path, outcome, ...(proved ? { proved } : {}) }, diagnostics: planned.diagnostics };
}

/** A refused or failed GitHub call, as what the author should check: the token, the registry name, the network. */
export function explainGitHubError(error: GitHubApiError, registry: string): string {
  if (error.status === 401) return `${error.message}: GitHub refused the token; set GITHUB_TOKEN or GH_TOKEN to a valid token, e.g. GH_TOKEN=$(gh auth token)`;
  if (error.status === 404 && /\/repos\/[^/]+\/[^/]+$/.test(error.url)) {
    return `the registry ${registry} was not found (${error.message}); check --registry OWNER/NAME and that the token can see that repository`;
  }
  if (error.status === 403 || error.status === 404) {
    return `GitHub refused a step of publishing to ${registry} (${error.message}); the token needs read and write access to contents and pull requests of the registry or of your fork`;
  }
  return `cannot publish to ${registry}: ${error.message}; check the network and --api-url, then run publish again (it is safe to repeat)`;
}
