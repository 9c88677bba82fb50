/** `mcp-registry verify [PATH...]`: namespace ownership, package artifacts and remotes (network). */
import { join, resolve } from 'node:path';
import { ConfigError, loadRegistryConfig, withEndpointOverrides } from '../../config/registry-config.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE } from '../../core/errors.ts';
import { usageError } from '../../core/errors.ts';
import { mirroredBy, releasedBy } from '../../core/registry-state.ts';
import { readRegistryState } from '../../emit/read-state.ts';
import { renderReport } from '../../validate/render.ts';
import { createVerifyServices } from '../../verify/verify-services.ts';
import { recordVerified } from '../../lifecycle/record-verified.ts';
import { isEnvironmentFinding, verifyTree } from '../../verify/verify-tree.ts';
import { readRegistryIndex } from '../../validate/validate-tree.ts';
import { outputFormat, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

export const VERIFY_CACHE_DIR = join('.cache', 'verify');

const command: Command = {
  help: `Usage: mcp-registry verify [PATH...] [--format text|json] [--author LOGIN] [--endpoint TYPE=URL]... [--no-cache] [--published] [--record]

Validates the files (as \`validate\` does), then proves for every valid one:
  - the namespace is the author's: io.github.<user>/… only for that user, io.github.<org>/… only
    for an Owner of that organisation; a domain namespace (com.example/…) by <file>.sig, made with
    \`mcp-registry sign\` and a key the domain publishes in DNS or at /.well-known/mcp-registry-auth
  - every package names the server: npm mcpName, PyPI/NuGet README "mcp-name: <name>", OCI label
    io.modelcontextprotocol.server.name, MCPB fileSha256; and the package version exists
  - remotes are https, resolve to public addresses, and for domain namespaces sit on that domain

PATH   files or folders (default: servers/); a server.json outside servers/ is verified too.
       A status file registry/status/<ns>/<name>.yaml is checked for its owner only: for a domain
       namespace its .yaml.sig (\`mcp-registry sign\`, or --key-file on deprecate|delete|restore).

Options:
  --format text|json     same output as validate
  --author LOGIN         the pull request's author (GitHub namespaces)
  --endpoint TYPE=URL    service base URL: npm, pypi, nuget, cargo, oci, github, dns (HOST:PORT), http
                         (origin for well-known lookups and MCPB downloads); repeatable
  --no-cache             re-verify packages proven before (cache: .cache/verify/)
  --published            re-verify merged entries (the weekly job): GitHub namespaces are not asked
                         again (no author), domain signatures may be old but the key must still be
                         published; packages and remotes are checked as always
  --record               write registry/verified/<ns>/<name>.yaml for every version that passed:
                         which packages named the server back, by what, and when (docs/verification.md);
                         implies --no-cache
  --registry-index FILE  as for validate: the rest of servers/ for the registry-wide rules
  -h, --help             show this help

Environment: GITHUB_TOKEN (optional) authenticates GitHub API calls.
Every code is explained in docs/verification.md.
Exit codes: 0 all proven, 1 some file failed a check, 2 usage or environment error (including
services that could not be reached when nothing else failed).
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      format: { type: 'string' },
      author: { type: 'string' },
      endpoint: { type: 'string', multiple: true },
      'no-cache': { type: 'boolean' },
      published: { type: 'boolean' },
      record: { type: 'boolean' },
      'registry-index': { type: 'string' },
    });
    const format = outputFormat(values.format);
    let config = await loadRegistryConfig(io.cwd);
    try {
      config = withEndpointOverrides(config, values.endpoint ?? []);
    } catch (error) {
      if (error instanceof ConfigError) throw usageError(error.message);
      throw error;
    }
    const githubToken = io.env.GITHUB_TOKEN;
    const services = createVerifyServices(config, {
      ...(values.author !== undefined ? { author: values.author } : {}),
      published: values.published ?? false,
      ...(githubToken ? { githubToken } : {}),
      // A record's checkedAt is this run's time, so --record asks every service again.
      ...(values['no-cache'] || values.record ? {} : { cacheDir: join(io.cwd, VERIFY_CACHE_DIR) }),
    });
    try {
      // Mirrored versions (with provenance) are validated as mirrored, as build does.
      const { provenance, status } = await readRegistryState(io.cwd);
      const report = await verifyTree(io.cwd, config, positionals.length > 0 ? positionals : undefined, services, {
        mirrored: mirroredBy(provenance),
        released: releasedBy(status),
        ...(values['registry-index'] === undefined ? {} : { siblings: await readRegistryIndex(resolve(io.cwd, values['registry-index'])) }),
      });
      io.stdout(renderReport(report, format));
      if (values.record) {
        const recorded = await recordVerified(io.cwd, report, new Date());
        if (!recorded.ok) throw usageError(recorded.error);
        for (const path of recorded.written) io.stderr(`recorded ${path}\n`);
      }
      if (report.ok) return EXIT_OK;
      const errors = report.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === 'error');
      return errors.every(isEnvironmentFinding) ? EXIT_USAGE : EXIT_CHECK_FAILED;
    } finally {
      await services.close();
    }
  },
};
export default command;
