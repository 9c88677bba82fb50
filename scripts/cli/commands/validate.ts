/** `mcp-registry validate [PATH...]`: schema and rule checks, no network. */
import { relative, resolve, sep } from 'node:path';
import { loadRegistryConfig } from '../../config/registry-config.ts';
import type { FileReport } from '../../core/diagnostics.ts';
import { fileReport, report } from '../../core/diagnostics.ts';
import { EXIT_CHECK_FAILED, EXIT_OK } from '../../core/errors.ts';
import { mirroredBy, releasedBy, STATE_DIR } from '../../core/registry-state.ts';
import { readRegistryState } from '../../emit/read-state.ts';
import { loadOverlaySchema } from '../../policy/overlay-schema.ts';
import { APPROVALS_FILE } from '../../views/approvals.ts';
import { readApprovals } from '../../views/read-approvals.ts';
import type { RegistryConfig } from '../../config/registry-config.ts';
import { renderReport } from '../../validate/render.ts';
import { readRegistryIndex, validateTree } from '../../validate/validate-tree.ts';
import { outputFormat, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry validate [PATH...] [--format text|json]

Checks server.json files against the server.json schema (2025-12-11) and the registry's rules:
name and namespace format, exact versions, transports, remotes, packages, arguments, icons,
_meta, and, under servers/, that each path agrees with name and version and that no two
files claim the same version or the same name in another case. No network access.

PATH   files or folders (default: servers/ and registry/). Any server.json may be checked, in or out of
       servers/; paths under registry/ check registry-owned state files (status, overlays against the
       schema the registry config declares, upstream provenance).

Options:
  --format text|json   text: one line per problem, path:line:column severity code: message
                       json: {"ok", "files": [{"path", "ok", "diagnostics": [...]}]}
  --registry-index FILE  the rest of servers/ as the PR check read it from git (name, version and
                       remote URLs per file): the registry-wide rules use it instead of reading servers/
  -h, --help           show this help

Every code is explained, with a bad and a good example, in docs/rules.md.
Exit codes: 0 all files valid (warnings allowed), 1 some file has errors, 2 usage or environment error.
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { format: { type: 'string' }, 'registry-index': { type: 'string' } });
    const format = outputFormat(values.format);
    const config = await loadRegistryConfig(io.cwd);
    const relativePath = (p: string) => relative(io.cwd, resolve(io.cwd, p)).split(sep).join('/');
    const relativePaths = positionals.map(relativePath);
    const isState = (p: string) => p === STATE_DIR || p.startsWith(`${STATE_DIR}/`);
    const serverPaths = positionals.filter((p) => !isState(relativePath(p)));
    const statePaths = relativePaths.filter(isState);
    const files: FileReport[] = [];
    if (positionals.length === 0 || serverPaths.length > 0) {
      // Mirrored versions (with provenance) are judged as mirrored: their findings are warnings.
      // Deprecated and deleted versions have released their remote URLs.
      const { provenance, status } = await readRegistryState(io.cwd);
      const index = values['registry-index'];
      const options = {
        mirrored: mirroredBy(provenance),
        released: releasedBy(status),
        ...(index === undefined ? {} : { siblings: await readRegistryIndex(resolve(io.cwd, index)) }),
      };
      files.push(...(await validateTree(io.cwd, config, positionals.length > 0 ? serverPaths : undefined, undefined, options)).report.files);
    }
    if (positionals.length === 0 || statePaths.length > 0) {
      files.push(...(await stateReports(io.cwd, config, positionals.length === 0 ? [STATE_DIR] : statePaths)));
    }
    const result = report(files);
    io.stdout(renderReport(result, format));
    return result.ok ? EXIT_OK : EXIT_CHECK_FAILED;
  },
};

/** Problems in registry-owned state files (status, overlays against the fork's schema, upstream provenance, the approved list) under `paths`. */
async function stateReports(root: string, config: RegistryConfig, paths: readonly string[]): Promise<FileReport[]> {
  const state = await readRegistryState(root, await loadOverlaySchema(root, config.extra));
  const approvals = await readApprovals(root);
  const reports = approvals.diagnostics.length > 0 ? [...state.reports, fileReport(APPROVALS_FILE, approvals.diagnostics)] : state.reports;
  return reports.filter((r) => paths.some((p) => r.path === p || r.path.startsWith(`${p}/`)));
}
export default command;
