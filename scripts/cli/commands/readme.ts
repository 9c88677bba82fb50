/** `mcp-registry readme`: fetch each server's README into registry-owned state, for the site. */
import { ConfigError, loadRegistryConfig, withEndpointOverrides } from '../../config/registry-config.ts';
import type { RegistryConfig } from '../../config/registry-config.ts';
import { report } from '../../core/diagnostics.ts';
import { EXIT_OK, usageError } from '../../core/errors.ts';
import { createHttpClient } from '../../net/http-client.ts';
import { DEFAULT_README_MAX_AGE_DAYS, runReadme } from '../../readme/readme-run.ts';
import { renderReport } from '../../validate/render.ts';
import { trustedOrigins } from '../../verify/endpoint-urls.ts';
import { outputFormat, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry readme [NAME...] [--max-age DAYS] [--endpoint TYPE=URL]... [--format text|json]

Fetches the README of each server's newest live version and records it, one file per server,
under registry/readmes/<namespace>/<server>.json; the build renders it (sanitised) on the server's
page, and never fetches anything itself. Sources, first that has one: the packages' registries
(npm's readme, PyPI's Markdown description, NuGet's packed README), then the GitHub repository
(its README, or the subfolder's).

NAME   server names (default: every server under servers/)

Options:
  --max-age DAYS         keep a README fetched for the same version within DAYS (default ${DEFAULT_README_MAX_AGE_DAYS}); 0 fetches all
  --endpoint TYPE=URL    service base URL: npm, pypi, nuget, github (as for verify); repeatable
  --format text|json     output
  -h, --help             show this help

A server without a README, or whose sources did not answer, is a warning (readme/not-found,
readme/unreachable) and keeps what was recorded before. Exit codes: 0 done (warnings included),
2 usage or environment error. Set GITHUB_TOKEN for GitHub's higher rate limit.
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      'max-age': { type: 'string' },
      endpoint: { type: 'string', multiple: true },
      format: { type: 'string' },
    });
    const format = outputFormat(values.format);
    const maxAge = values['max-age'] === undefined ? DEFAULT_README_MAX_AGE_DAYS : Number(values['max-age']);
    if (!Number.isFinite(maxAge) || maxAge < 0) throw usageError(`--max-age must be a number of days; got '${values['max-age']}'`);
    let config: RegistryConfig;
    try {
      config = withEndpointOverrides(await loadRegistryConfig(io.cwd), (values.endpoint as string[] | undefined) ?? []);
    } catch (error) {
      if (error instanceof ConfigError) throw usageError(error.message);
      throw error;
    }
    const token = io.env.GITHUB_TOKEN;
    const http = createHttpClient({ trustedOrigins: trustedOrigins(config), userAgent: `${config.name} (mcp-registry readme)` });
    const github = new URL(config.endpoints.github).host;
    const authed = token
      ? {
          send: (req: Parameters<typeof http.send>[0]) =>
            new URL(req.url).host === github ? http.send({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } }) : http.send(req),
          close: () => http.close(),
        }
      : http;
    try {
      const run = await runReadme({
        root: io.cwd,
        endpoints: config.endpoints,
        http: authed,
        now: new Date(),
        maxAgeDays: maxAge,
        ...(positionals.length > 0 ? { names: positionals } : {}),
      });
      const summary = report(run.reports);
      if (format === 'json') {
        io.stdout(`${JSON.stringify({ written: run.written, kept: run.kept, missing: run.missing, requests: run.requests, files: summary.files }, null, 2)}\n`);
      } else {
        if (run.reports.length > 0) io.stdout(renderReport(summary, 'text'));
        io.stdout(`READMEs: ${run.written} written, ${run.kept} unchanged, ${run.missing} not found; ${run.requests} requests\n`);
      }
      return EXIT_OK;
    } finally {
      await http.close();
    }
  },
};
export default command;
