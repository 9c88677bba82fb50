/** `mcp-registry publish [FILE]`: what the publish Action does, from a terminal. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, parseRegistryConfig, withEndpointOverrides } from '../../config/registry-config.ts';
import { versionFromTag } from '../../author/publish-plan.ts';
import { publishServer } from '../../author/publish-run.ts';
import { fileReport, report } from '../../core/diagnostics.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, environmentError, usageError } from '../../core/errors.ts';
import { isEnvironmentFinding } from '../../verify/finding.ts';
import { renderReport } from '../../validate/render.ts';
import { outputFormat, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry publish [FILE] --registry OWNER/NAME [options]

Validates FILE (default: server.json), stamps the version, verifies it, and opens or updates a pull request
that adds servers/<namespace>/<name>/<version>.json to the registry repository: on the registry itself when
your token may push there, otherwise on your fork. The registry's checks then comment on the pull request.

Before the pull request opens, publish proves what \`mcp-registry verify\` proves except namespace ownership
(the registry's PR check proves that, knowing who opened the PR): every package version exists and names the
server (npm mcpName, PyPI/NuGet/Cargo README "mcp-name: <name>", OCI label, MCPB fileSha256), and every
remote is https on a public host. When a check fails, nothing is opened: fix what the report says, then run
publish again.

Options:
  --registry OWNER/NAME  registry repository (the main registry, a fork or a subregistry)
  --version V            version to publish (a tag like v1.2.3 works); default: the file's version
  --base BRANCH          registry branch to target; default: its default branch
  --api-url URL          GitHub API (default: $GITHUB_API_URL or https://api.github.com)
  --dry-run              validate and stamp only; print the path; contact nobody (nothing is verified)
  --no-verify            skip the package and remote checks (offline); the registry's PR check still runs them
  --endpoint TYPE=URL    service base URL for those checks, as \`mcp-registry verify\` takes it; repeatable
  --key-file PATH        domain namespaces: sign the stamped file (as \`mcp-registry sign\`) and add
                         <version>.json.sig; or set $MCP_REGISTRY_PRIVATE_KEY
  --format text|json     json: the validate report shape, plus nothing else on stdout
  -h, --help             this help

The token comes from $GITHUB_TOKEN or $GH_TOKEN (e.g. GH_TOKEN=$(gh auth token)).
Exit codes: 0 published or already published, 1 the file failed a check or the registry refused, 2 usage or
environment error (including a package registry that could not be reached; --no-verify publishes anyway).
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      registry: { type: 'string' },
      version: { type: 'string' },
      base: { type: 'string' },
      'api-url': { type: 'string' },
      'dry-run': { type: 'boolean' },
      format: { type: 'string' },
      'key-file': { type: 'string' },
      'no-verify': { type: 'boolean' },
      endpoint: { type: 'string', multiple: true },
    });
    const format = outputFormat(values.format);
    if (positionals.length > 1) throw usageError('publish takes one FILE');
    const label = positionals[0] ?? 'server.json';
    const dryRun = values['dry-run'] === true;
    if (!dryRun && !values.registry) throw usageError('--registry OWNER/NAME is required (or use --dry-run)');
    const token = io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN ?? '';
    if (!dryRun && token === '')
      throw environmentError('set $GITHUB_TOKEN or $GH_TOKEN to a token that may open pull requests (e.g. GH_TOKEN=$(gh auth token))');
    const verify = values['no-verify'] !== true;
    let verifyConfig = parseRegistryConfig(undefined);
    try {
      verifyConfig = withEndpointOverrides(verifyConfig, values.endpoint ?? []);
    } catch (error) {
      if (error instanceof ConfigError) throw usageError(error.message);
      throw error;
    }
    let signingKey = io.env.MCP_REGISTRY_PRIVATE_KEY;
    if (values['key-file']) {
      try {
        signingKey = await readFile(resolve(io.cwd, values['key-file']), 'utf8');
      } catch (error) {
        throw environmentError(`cannot read the key file ${values['key-file']}: ${(error as Error).message}`, error);
      }
    }
    const result = await publishServer({
      file: resolve(io.cwd, label),
      label,
      ...(values.version !== undefined ? { version: versionFromTag(values.version) } : {}),
      registry: values.registry ?? '',
      ...(values.base !== undefined ? { baseBranch: values.base } : {}),
      apiUrl: values['api-url'] ?? io.env.GITHUB_API_URL ?? 'https://api.github.com',
      token,
      dryRun,
      ...(signingKey ? { signingKey } : {}),
      ...(verify ? { verify: { config: verifyConfig } } : {}),
    });
    if (!result.ok) {
      io.stdout(renderReport(report([fileReport(label, result.diagnostics)]), format));
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0 && errors.every(isEnvironmentFinding)) {
        io.stderr('no pull request was opened: a package registry could not be reached; try again, or publish with --no-verify\n');
        return EXIT_USAGE;
      }
      io.stderr(`no pull request was opened: ${label} failed ${errors.length} check(s); fix them and run publish again\n`);
      return EXIT_CHECK_FAILED;
    }
    if (format === 'json') io.stdout(renderReport(report([fileReport(label, result.diagnostics)]), 'json'));
    const say = format === 'json' ? io.stderr : io.stdout;
    // What was proved (or skipped) goes to stderr: stdout stays the one line scripts read.
    if (result.value.proved) {
      io.stderr(`verified before opening the pull request (namespace ownership is proven by the registry's PR check):\n`);
      for (const line of result.value.proved) io.stderr(`  ✓ ${line}\n`);
      if (result.value.proved.length === 0) io.stderr('  (no packages or remotes to verify)\n');
    } else if (!dryRun) {
      io.stderr(
        `not verified (--no-verify): packages were not checked to name the server and remotes were not checked; the registry's PR check still verifies them and may fail\n`,
      );
    }
    const outcome = result.value.outcome;
    if (!outcome) say(`dry run: ${label} is valid and would be published as ${result.value.path}\n`);
    else if (outcome.status === 'refused') {
      io.stderr(`${outcome.code}: ${outcome.message}\n`);
      return EXIT_CHECK_FAILED;
    } else if (outcome.status === 'already-published') say(`${outcome.path} is already published with these exact bytes; nothing to do\n`);
    else say(`${outcome.status} ${outcome.url}\n`);
    return EXIT_OK;
  },
};
export default command;
