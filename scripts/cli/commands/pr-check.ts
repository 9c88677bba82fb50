/** `mcp-registry pr-check run|report|issue`: the registry repository's GitHub automation (see .github/workflows). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadRegistryConfig, maintainerTeam } from '../../config/registry-config.ts';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, environmentError, usageError } from '../../core/errors.ts';
import { createGitHubClient } from '../../net/github-client.ts';
import { DEFAULT_MAX_FILES } from '../../github/classify-changes.ts';
import { checkMaintainer, teamMembershipVia } from '../../github/maintainers.ts';
import { accountLookupVia } from '../../github/owner-review.ts';
import { approvalsVia } from '../../github/rename-approvals.ts';
import { runPrCheck } from '../../github/pr-check-run.ts';
import { mayVerify, readPullRequestEvent } from '../../github/pr-event.ts';
import { reportCheckResult } from '../../github/pr-report.ts';
import { isPrCheckResult, isReport } from '../../github/report-guard.ts';
import { reverifyProblem } from '../../github/reverify-summary.ts';
import { createCliRunner } from '../../github/run-checks.ts';
import { syncTrackingIssue } from '../../github/tracking-issue.ts';
import { runnerSafeLine } from '../../github/untrusted-text.ts';
import { writeFileAtomically } from '../../files/atomic-file.ts';
import { parseFlags } from '../args.ts';
import type { Command, CommandIo } from '../command.ts';

const HELP = `Usage: mcp-registry pr-check <run|report|issue> [options]

The registry repository's CI glue. Workflows call it; people rarely need to.

run      check a pull request (no token, no write access): changed files, immutability, validate,
         verify (--author = the PR author), lifecycle files, and, when verify runs, what the added
         versions' remotes offer (docs/inspection.md; never stdio) → writes the result JSON.
  --event FILE         pull_request event payload (default: $GITHUB_EVENT_PATH)
  --repo DIR           working tree of the PR head with the base in its history (default: .)
  --base SHA --head SHA  override the event's base and head commits
  --verify auto|yes|no auto: not on a fork's PR until a maintainer adds the safe-to-verify label
  --endpoint TYPE=URL  passed on to verify (repeatable)
  --max-files N        refuse larger PRs as a whole (default ${DEFAULT_MAX_FILES})
  --out FILE           where to write the result (default: pr-check-result.json)
  Maintainers are registry.config.yaml's \`maintainers\` (logins, org/team-slug teams); a team is asked
  of the GitHub API with $MAINTAINERS_TOKEN (or $GITHUB_TOKEN). A PR with a rename record has its
  reviews read with $GITHUB_TOKEN (a transfer's consent is the old owner's approval of the head commit).

report   post the sticky comment, sync labels, merge when allowed (needs $GITHUB_TOKEN).
  --result FILE  --run-head-sha SHA  [--repository OWNER/NAME] [--bot-login LOGIN]
  [--docs-base URL] [--no-merge] [--deploy-workflow FILE]  (dispatched after a bot merge, which
  starts no push workflows by itself)

issue    open, comment on or close the tracking issue for a recurring problem (needs $GITHUB_TOKEN).
  --label L --title T  (--problem-file F | --verify-report F | --resolved)  [--resolution TEXT]
  [--repository OWNER/NAME]

$GITHUB_API_URL sets the API base (default https://api.github.com); $GITHUB_REPOSITORY the repository.
Exit codes: 0 done (run: all checks passed), 1 run: a check failed, 2 usage or environment error.
`;

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw environmentError(`cannot read ${path}: ${(error as Error).message}`, error);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw environmentError(`${path} is not JSON: ${(error as Error).message}`, error);
  }
}

function repository(value: string | undefined, io: CommandIo): { owner: string; repo: string } {
  const full = value ?? io.env.GITHUB_REPOSITORY;
  const [, owner, repo] = (full ? /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(full) : null) ?? [];
  if (owner === undefined || repo === undefined) throw usageError('--repository OWNER/NAME (or $GITHUB_REPOSITORY) is required');
  return { owner, repo };
}

function client(io: CommandIo) {
  const token = io.env.GITHUB_TOKEN;
  if (!token) throw environmentError('$GITHUB_TOKEN is not set; this step needs a token with pull-requests/issues write access');
  return createGitHubClient({ baseUrl: io.env.GITHUB_API_URL ?? 'https://api.github.com', token });
}

/** Prints PR-derived text one line at a time, each safe for the Actions runner's log. */
function printer(write: (text: string) => void): (line: string) => void {
  return (line) => write(`${runnerSafeLine(line)}\n`);
}

async function run(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseFlags(argv, {
    event: { type: 'string' },
    repo: { type: 'string' },
    base: { type: 'string' },
    head: { type: 'string' },
    verify: { type: 'string' },
    endpoint: { type: 'string', multiple: true },
    'max-files': { type: 'string' },
    out: { type: 'string' },
  });
  const eventPath = values.event ?? io.env.GITHUB_EVENT_PATH;
  if (!eventPath) throw usageError('--event FILE (or $GITHUB_EVENT_PATH) is required');
  const parsed = readPullRequestEvent(await readJson(resolve(io.cwd, eventPath)));
  if (!parsed.ok) throw usageError(parsed.error);
  const mode = values.verify ?? 'auto';
  if (!['auto', 'yes', 'no'].includes(mode)) throw usageError('--verify must be auto, yes or no');
  const maxFiles = values['max-files'] === undefined ? DEFAULT_MAX_FILES : Number(values['max-files']);
  if (!Number.isSafeInteger(maxFiles) || maxFiles < 1) throw usageError('--max-files must be a positive integer');
  const config = await loadRegistryConfig(io.cwd);
  const token = io.env.MAINTAINERS_TOKEN || io.env.GITHUB_TOKEN;
  const teams = config.maintainers.some((m) => maintainerTeam(m) !== undefined);
  const octokit = teams && token ? createGitHubClient({ baseUrl: io.env.GITHUB_API_URL ?? 'https://api.github.com', token }) : undefined;
  // The workflow's read-only token reads the PR's reviews, for a transfer's consent (asked only for a rename record).
  const reader = io.env.GITHUB_TOKEN
    ? createGitHubClient({ baseUrl: io.env.GITHUB_API_URL ?? 'https://api.github.com', token: io.env.GITHUB_TOKEN })
    : undefined;
  const [owner = '', name = ''] = parsed.value.repository.split('/');
  const result = await runPrCheck({
    repo: resolve(io.cwd, values.repo ?? '.'),
    base: values.base ?? parsed.value.baseSha,
    head: values.head ?? parsed.value.headSha,
    event: parsed.value,
    maintainer: () => checkMaintainer(parsed.value.author, parsed.value.repository, config.maintainers, teamMembershipVia(octokit)),
    verify: mode === 'yes' || (mode === 'auto' && mayVerify(parsed.value)),
    endpoints: values.endpoint ?? [],
    maxFiles,
    runCli: createCliRunner(),
    ...(reader ? { approvals: approvalsVia(reader, { owner, repo: name, number: parsed.value.number }) } : {}),
    // The same token looks up an organisation's account id (io.github.<org> owner records, login renames).
    ...(reader ? { accountLookup: accountLookupVia(reader) } : {}),
  });
  const out = resolve(io.cwd, values.out ?? 'pr-check-result.json');
  await writeFileAtomically(out, `${JSON.stringify(result, null, 2)}\n`);
  const failed = result.files.filter((f) => f.diagnostics.some((d) => d.severity === 'error')).length;
  const print = printer(io.stdout);
  print(
    `PR #${result.number}: ${result.files.length} file(s), ${failed} with errors; labels: ${result.labels.join(', ') || 'none'}; ${result.autoMerge ? 'may be merged by the bot' : 'needs a human'}`,
  );
  for (const d of result.diagnostics) print(`${d.severity} ${d.code}: ${d.message}`);
  for (const f of result.files) for (const d of f.diagnostics) print(`${f.path}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  for (const r of result.reviewReasons) print(`needs a human: ${r}`);
  return result.ok ? EXIT_OK : EXIT_CHECK_FAILED;
}

async function report(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseFlags(argv, {
    result: { type: 'string' },
    'run-head-sha': { type: 'string' },
    repository: { type: 'string' },
    'bot-login': { type: 'string' },
    'docs-base': { type: 'string' },
    'no-merge': { type: 'boolean' },
    'deploy-workflow': { type: 'string' },
  });
  if (!values.result || !values['run-head-sha']) throw usageError('report needs --result FILE and --run-head-sha SHA');
  const result = await readJson(resolve(io.cwd, values.result));
  if (!isPrCheckResult(result)) throw environmentError(`${values.result} is not a PR check result; refusing to act on it`);
  const { owner, repo } = repository(values.repository, io);
  const outcome = await reportCheckResult(
    client(io),
    {
      owner,
      repo,
      runHeadSha: values['run-head-sha'],
      botLogin: values['bot-login'] ?? 'github-actions[bot]',
      docsBase: values['docs-base'] ?? `https://github.com/${owner}/${repo}/blob/HEAD`,
      allowMerge: !values['no-merge'],
      ...(values['deploy-workflow'] ? { deployWorkflow: values['deploy-workflow'] } : {}),
    },
    result,
  );
  const print = printer(io.stdout);
  print(
    `PR #${result.number}: ${outcome.status}; comment ${outcome.comment ?? 'untouched'}; labels +[${outcome.labelsAdded.join(', ')}] -[${outcome.labelsRemoved.join(', ')}]; ${outcome.merged ? 'merged' : 'not merged'}${outcome.deployDispatched ? '; deploy started' : ''}`,
  );
  for (const n of outcome.notes) print(`note: ${n}`);
  return EXIT_OK;
}

async function issue(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseFlags(argv, {
    label: { type: 'string' },
    title: { type: 'string' },
    'problem-file': { type: 'string' },
    'verify-report': { type: 'string' },
    resolved: { type: 'boolean' },
    resolution: { type: 'string' },
    repository: { type: 'string' },
  });
  if (!values.label || !values.title) throw usageError('issue needs --label and --title');
  const sources = [values['problem-file'], values['verify-report'], values.resolved].filter((v) => v !== undefined);
  if (sources.length !== 1) throw usageError('give exactly one of --problem-file, --verify-report, --resolved');
  const runUrl =
    io.env.GITHUB_SERVER_URL && io.env.GITHUB_REPOSITORY && io.env.GITHUB_RUN_ID
      ? `${io.env.GITHUB_SERVER_URL}/${io.env.GITHUB_REPOSITORY}/actions/runs/${io.env.GITHUB_RUN_ID}`
      : 'this run';
  let problem: string | undefined;
  if (values['problem-file']) problem = await readFile(resolve(io.cwd, values['problem-file']), 'utf8');
  if (values['verify-report']) {
    const r = await readJson(resolve(io.cwd, values['verify-report']));
    if (!isReport(r)) throw environmentError(`${values['verify-report']} is not a verify --format json report`);
    problem = reverifyProblem(r, runUrl);
  }
  const { owner, repo } = repository(values.repository, io);
  const outcome = await syncTrackingIssue(client(io), {
    owner,
    repo,
    label: values.label,
    title: values.title,
    ...(problem !== undefined ? { problem } : {}),
    resolution: values.resolution ?? `Resolved: ${runUrl} succeeded.`,
  });
  io.stdout(outcome.action === 'none' ? 'no open issue; nothing to do\n' : `issue #${outcome.number} ${outcome.action}\n`);
  return EXIT_OK;
}

const command: Command = {
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    try {
      if (sub === 'run') return await run(rest, io);
      if (sub === 'report') return await report(rest, io);
      if (sub === 'issue') return await issue(rest, io);
    } catch (error) {
      // git's and GitHub's messages can quote file names and branch names from the PR.
      if (error instanceof CliError) throw new CliError(error.kind, runnerSafeLine(error.message), { cause: error });
      throw error;
    }
    throw usageError(`expected a subcommand: run, report or issue; got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}`);
  },
};
export default command;
