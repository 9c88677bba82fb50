/** `mcp-registry publish [FILE]`: what the publish Action does, from a terminal. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { publishFromInputs } from '../../author/publish-inputs.ts';
import { fileReport, report } from '../../core/diagnostics.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, environmentError, usageError } from '../../core/errors.ts';
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
    let signingKey = io.env.MCP_REGISTRY_PRIVATE_KEY;
    if (values['key-file']) {
      try {
        signingKey = await readFile(resolve(io.cwd, values['key-file']), 'utf8');
      } catch (error) {
        throw environmentError(`cannot read the key file ${values['key-file']}: ${(error as Error).message}`, error);
      }
    }
    // The publish Action runs this same path (author/publish-inputs.ts); only reading inputs and printing differ.
    const summary = await publishFromInputs({
      frontEnd: 'cli',
      file: resolve(io.cwd, label),
      label,
      ...(values.version !== undefined ? { version: values.version } : {}),
      registry: values.registry ?? '',
      ...(values.base !== undefined ? { baseBranch: values.base } : {}),
      apiUrl: values['api-url'] ?? io.env.GITHUB_API_URL ?? 'https://api.github.com',
      token,
      dryRun,
      ...(signingKey ? { signingKey } : {}),
      verify: values['no-verify'] !== true,
      endpoints: values.endpoint ?? [],
    });
    if (summary.status === 'bad-input') throw usageError(summary.headline);
    if (summary.status === 'check-failed' || summary.status === 'unreachable') {
      io.stdout(renderReport(report([fileReport(label, summary.diagnostics)]), format));
      io.stderr(`${summary.headline}\n`);
      return summary.status === 'unreachable' ? EXIT_USAGE : EXIT_CHECK_FAILED;
    }
    if (format === 'json') io.stdout(renderReport(report([fileReport(label, summary.diagnostics)]), 'json'));
    // What was proved (or skipped) goes to stderr: stdout stays the one line scripts read.
    for (const line of summary.notes) io.stderr(`${line}\n`);
    if (summary.status === 'refused') {
      io.stderr(`${summary.headline}\n`);
      return EXIT_CHECK_FAILED;
    }
    const say = format === 'json' ? io.stderr : io.stdout;
    say(`${summary.headline}\n`);
    return EXIT_OK;
  },
};
export default command;
