/**
 * The publish Action (action.yml): an author's release workflow hands it a server.json. It runs the same
 * publish path as `mcp-registry publish` of the author CLI package (author/publish-inputs.ts): validate,
 * stamp the release version, sign, verify packages and remotes, then open or update the registry PR.
 * Only reading inputs and printing are its own. Bundled to action/dist/index.js. Inputs arrive as data from
 * @actions/core, never through a shell.
 */
import { isAbsolute, join } from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { publishFromInputs } from '../author/publish-inputs.ts';

function releaseTag(): string | undefined {
  const release = github.context.payload.release as { tag_name?: unknown } | undefined;
  if (typeof release?.tag_name === 'string') return release.tag_name;
  const ref = github.context.ref ?? '';
  return ref.startsWith('refs/tags/') ? ref : undefined;
}

function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`the input ${name} must be true or false, got ${JSON.stringify(value)}`);
}

export async function runPublishAction(): Promise<void> {
  try {
    const token = core.getInput('token', { required: true });
    core.setSecret(token);
    const signingKey = core.getInput('signing-key');
    // The runner masks line by line, so a multi-line PEM is registered one line at a time.
    for (const line of signingKey.split(/\r?\n/)) if (line.trim() !== '') core.setSecret(line.trim());
    const registry = core.getInput('registry', { required: true });
    const file = core.getInput('server-json') || 'server.json';
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const version = core.getInput('version') || releaseTag();
    const summary = await publishFromInputs({
      frontEnd: 'action',
      file: isAbsolute(file) ? file : join(workspace, file),
      label: file,
      ...(version ? { version } : {}),
      registry,
      baseBranch: core.getInput('base-branch'),
      apiUrl: core.getInput('api-url') || github.context.apiUrl,
      token,
      dryRun: booleanInput('dry-run', false),
      ...(signingKey ? { signingKey } : {}),
      verify: booleanInput('verify', true),
      endpoints: core.getMultilineInput('endpoints'),
    });
    const failed = summary.status === 'check-failed' || summary.status === 'unreachable' || summary.status === 'bad-input';
    for (const d of summary.diagnostics) {
      const where = { file, ...(d.line > 0 ? { startLine: d.line, startColumn: d.column } : {}) };
      const text = `${d.code}: ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`;
      if (d.severity === 'error') core.error(text, where);
      else core.warning(text, where);
    }
    for (const line of summary.notes) core.info(line);
    if (summary.path !== undefined) core.setOutput('path', summary.path);
    core.setOutput('verified', (summary.proved ?? []).join('\n'));
    if (failed || summary.status === 'refused') {
      core.setFailed(summary.headline);
      return;
    }
    const outcome = summary.outcome;
    if (outcome?.status === 'created' || outcome?.status === 'updated') {
      core.setOutput('pull-request-url', outcome.url);
      core.setOutput('pull-request-number', String(outcome.number));
      core.info(`${summary.headline} (branch ${outcome.branch} on ${outcome.headRepository})`);
      return;
    }
    core.info(summary.headline);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
