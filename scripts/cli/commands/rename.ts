/** `mcp-registry rename OLD NEW`: writes the rename record for a pull request; the author's files stay untouched. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, usageError } from '../../core/errors.ts';
import { diagnostic } from '../../core/diagnostics.ts';
import { renameProblems } from '../../lifecycle/rename.ts';
import { readRenameRecords, writeRenameRecord } from '../../lifecycle/rename-store.ts';
import { publishedVersions } from '../../lifecycle/status-store.ts';
import { renamePath } from '../../state/rename-file.ts';

const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

const help = `Usage: mcp-registry rename OLD NEW [options]

Record that server OLD is now NEW: writes registry/renames/<namespace>/<old>.yaml. The author's
server.json files never change; publish new versions under NEW. After the build, OLD's API paths
answer with NEW. Commit the result and open a pull request: the PR check asks for the same proof as
publishing under both names.

Options:
  --maintainer       record the rename as a maintainer's decision (an orphaned entry)
  --root DIR         registry root (default: current directory)
  --now TIME         RFC 3339 time to record (default: now)
  -h, --help         this help
`;

function parseRenameFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { root: { type: 'string' }, now: { type: 'string' }, maintainer: { type: 'boolean' } } });
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

const rename: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseRenameFlags(argv);
    const [from, to] = positionals;
    if (positionals.length !== 2 || from === undefined || to === undefined) throw usageError('expected OLD and NEW server names; see --help');
    for (const n of [from, to]) if (!SERVER_NAME.test(n)) throw usageError(`${JSON.stringify(n)} is not a server name of the form namespace/name`);
    const now = values.now ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (Number.isNaN(Date.parse(now))) throw usageError(`--now must be an RFC 3339 time, not ${now}`);
    const root = values.root ?? io.cwd;
    const path = renamePath(from);
    const record = {
      from: from.toLowerCase(),
      to: to.toLowerCase(),
      renamedAt: now,
      renamedBy: values.maintainer ? ('maintainer' as const) : ('owner' as const),
    };
    const { records, problems } = await readRenameRecords(root);
    const diagnostics = problems.map((p) => p.diagnostic);
    if ((await publishedVersions(root, from)).length === 0)
      diagnostics.push(diagnostic('lifecycle/unknown-server', `no published versions of ${from} under servers/; check the name`));
    // Ownership is proven by the PR check (the same checks as publishing); locally only the records are checked.
    diagnostics.push(...renameProblems(records, record, { ownsName: () => true, otherChangedPaths: [] }));
    if (diagnostics.length > 0) {
      for (const d of diagnostics) io.stderr(`${path}: ${d.severity} ${d.code}: ${d.message}\n`);
      return EXIT_CHECK_FAILED;
    }
    await writeRenameRecord(root, record);
    io.stdout(`rename: ${record.from} → ${record.to} → ${path}\nnext: git add ${path}, commit, and open a pull request on the registry\n`);
    return EXIT_OK;
  },
};

export default rename;
