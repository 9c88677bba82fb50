/** `mcp-registry validate [PATH...]`: schema and rule checks, no network. */
import { loadRegistryConfig } from '../../config/registry-config.ts';
import { EXIT_CHECK_FAILED, EXIT_OK } from '../../core/errors.ts';
import { renderReport } from '../../validate/render.ts';
import { validateTree } from '../../validate/validate-tree.ts';
import { outputFormat, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry validate [PATH...] [--format text|json]

Checks server.json files against the server.json schema (2025-12-11) and the registry's rules:
name and namespace format, exact versions, transports, remotes, packages, arguments, icons,
_meta, and, under servers/, that each path agrees with name and version and that no two
files claim the same version or the same name in another case. No network access.

PATH   files or folders (default: servers/). Any server.json may be checked, in or out of servers/.

Options:
  --format text|json   text: one line per problem, path:line:column severity code: message
                       json: {"ok", "files": [{"path", "ok", "diagnostics": [...]}]}
  -h, --help           show this help

Every code is explained, with a bad and a good example, in docs/rules.md.
Exit codes: 0 all files valid (warnings allowed), 1 some file has errors, 2 usage or environment error.
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { format: { type: 'string' } });
    const format = outputFormat(values.format);
    const config = await loadRegistryConfig(io.cwd);
    const { report } = await validateTree(io.cwd, config, positionals.length > 0 ? positionals : undefined);
    io.stdout(renderReport(report, format));
    return report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
  },
};
export default command;
