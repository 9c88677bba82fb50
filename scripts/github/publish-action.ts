/**
 * The publish Action (action.yml): an author's release workflow hands it a server.json; it validates, stamps
 * the release version and opens or updates the registry PR. Bundled to action/dist/index.js. Inputs arrive as
 * data from @actions/core, never through a shell.
 */
import { isAbsolute, join } from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { publishServer } from '../author/publish-run.ts';
import { versionFromTag } from '../author/publish-plan.ts';

function releaseTag(): string | undefined {
  const release = github.context.payload.release as { tag_name?: unknown } | undefined;
  if (typeof release?.tag_name === 'string') return release.tag_name;
  const ref = github.context.ref ?? '';
  return ref.startsWith('refs/tags/') ? ref : undefined;
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
    const explicit = core.getInput('version');
    const tag = releaseTag();
    const version = explicit || (tag !== undefined ? versionFromTag(tag) : undefined);
    const result = await publishServer({
      file: isAbsolute(file) ? file : join(workspace, file),
      label: file,
      ...(version !== undefined ? { version } : {}),
      registry,
      baseBranch: core.getInput('base-branch'),
      apiUrl: core.getInput('api-url') || github.context.apiUrl,
      token,
      dryRun: core.getInput('dry-run') === 'true',
      ...(signingKey ? { signingKey } : {}),
    });
    if (!result.ok) {
      for (const d of result.diagnostics) {
        core.error(`${d.code}: ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`, {
          file,
          ...(d.line > 0 ? { startLine: d.line, startColumn: d.column } : {}),
        });
      }
      core.setFailed(`${file} is not ready to publish: ${result.diagnostics.length} problem(s)`);
      return;
    }
    for (const d of result.diagnostics) core.warning(`${d.code}: ${d.message}`, { file });
    core.setOutput('path', result.value.path);
    const outcome = result.value.outcome;
    if (!outcome) {
      core.info(`dry run: ${file} would be published as ${result.value.path}`);
      return;
    }
    if (outcome.status === 'refused') {
      core.setFailed(`${outcome.code}: ${outcome.message}`);
      return;
    }
    if (outcome.status === 'already-published') {
      core.info(`${outcome.path} is already published with these exact bytes; nothing to do`);
      return;
    }
    core.setOutput('pull-request-url', outcome.url);
    core.setOutput('pull-request-number', String(outcome.number));
    core.info(`${outcome.status} ${outcome.url} (branch ${outcome.branch} on ${outcome.headRepository})`);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
