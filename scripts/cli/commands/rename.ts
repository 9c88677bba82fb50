/** `mcp-registry rename OLD NEW`: writes the rename record for a pull request; the author's files stay untouched. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, environmentError, usageError } from '../../core/errors.ts';
import { diagnostic } from '../../core/diagnostics.ts';
import { renameProblems } from '../../lifecycle/rename.ts';
import { readRenameRecords, writeRenameRecord } from '../../lifecycle/rename-store.ts';
import { publishedVersions } from '../../lifecycle/status-store.ts';
import { MAX_RENAME_REASON, renamePath, type RenameRecord } from '../../state/rename-file.ts';

const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const NAMESPACE = /^[a-zA-Z0-9.-]+$/;

/** The server folders under `servers/<namespace>/`, sorted (none when the namespace has no folder). */
async function serversOf(root: string, namespace: string): Promise<string[]> {
  try {
    const entries = await readdir(join(root, 'servers', namespace.toLowerCase()), { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw environmentError(`cannot read servers/${namespace}: ${(error as Error).message}`, error);
  }
}

const help = `Usage: mcp-registry rename OLD NEW [options]
       mcp-registry rename --namespace OLD_NAMESPACE NEW_NAMESPACE [options]

Record that server OLD is now NEW: writes registry/renames/<namespace>/<old>.yaml. The author's
server.json files never change; publish new versions under NEW. After the build, OLD's API paths
answer with NEW. Commit the result and open a pull request: the PR check asks for the same proof as
publishing under both names. With --namespace, every server published under OLD_NAMESPACE gets a
record to the same name under NEW_NAMESPACE (a namespace transfer, e.g. io.github.bob to
io.github.alice: one pull request, which bob approves); all are written or none.

Options:
  --namespace        OLD and NEW are namespaces: rename every server of OLD_NAMESPACE
  --maintainer       record the rename as a maintainer's decision (an orphaned entry)
  --reason TEXT      with --maintainer: why (at most 500 characters); a transfer whose old owner is
                     gone needs it, as the consent the old owner cannot give
  --root DIR         registry root (default: current directory)
  --now TIME         RFC 3339 time to record (default: now)
  -h, --help         this help
`;

function parseRenameFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        now: { type: 'string' },
        maintainer: { type: 'boolean' },
        namespace: { type: 'boolean' },
        reason: { type: 'string' },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

const rename: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseRenameFlags(argv);
    const [from, to] = positionals;
    const what = values.namespace ? 'namespaces' : 'server names';
    if (positionals.length !== 2 || from === undefined || to === undefined) throw usageError(`expected OLD and NEW ${what}; see --help`);
    const shape = values.namespace ? NAMESPACE : SERVER_NAME;
    for (const n of [from, to])
      if (!shape.test(n)) throw usageError(`${JSON.stringify(n)} is not a ${values.namespace ? 'namespace' : 'server name of the form namespace/name'}`);
    const now = values.now ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (Number.isNaN(Date.parse(now))) throw usageError(`--now must be an RFC 3339 time, not ${now}`);
    if (values.reason !== undefined && !values.maintainer) throw usageError('--reason records why a maintainer decided; give it with --maintainer');
    if (values.reason !== undefined && (values.reason.trim() === '' || values.reason.length > MAX_RENAME_REASON))
      throw usageError(`--reason must be 1 to ${MAX_RENAME_REASON} characters`);
    const root = values.root ?? io.cwd;
    const names = values.namespace ? (await serversOf(root, from)).map((n) => [`${from}/${n}`, `${to}/${n}`] as const) : [[from, to] as const];
    if (values.namespace && names.length === 0) {
      io.stderr(`${from}: error lifecycle/unknown-server: no servers published under servers/${from.toLowerCase()}/; check the namespace\n`);
      return EXIT_CHECK_FAILED;
    }
    const { records, problems } = await readRenameRecords(root);
    const planned: RenameRecord[] = [];
    let failed = problems.length > 0;
    for (const p of problems) io.stderr(`${p.path}: ${p.diagnostic.severity} ${p.diagnostic.code}: ${p.diagnostic.message}\n`);
    for (const [oldName, newName] of names) {
      const record: RenameRecord = {
        from: oldName.toLowerCase(),
        to: newName.toLowerCase(),
        renamedAt: now,
        renamedBy: values.maintainer ? 'maintainer' : 'owner',
        ...(values.reason !== undefined ? { reason: values.reason } : {}),
      };
      const diagnostics = [];
      if ((await publishedVersions(root, oldName)).length === 0)
        diagnostics.push(diagnostic('lifecycle/unknown-server', `no published versions of ${oldName} under servers/; check the name`));
      // Ownership is proven by the PR check (the same checks as publishing); locally only the records are checked.
      diagnostics.push(...renameProblems([...records, ...planned], record, { ownsName: () => true, otherChangedPaths: [] }));
      for (const d of diagnostics) io.stderr(`${renamePath(oldName)}: ${d.severity} ${d.code}: ${d.message}\n`);
      if (diagnostics.length > 0) failed = true;
      planned.push(record);
    }
    // All or none: a namespace transfer is one decision.
    if (failed) return EXIT_CHECK_FAILED;
    const paths: string[] = [];
    for (const record of planned) {
      const path = await writeRenameRecord(root, record);
      paths.push(path);
      io.stdout(`rename: ${record.from} → ${record.to} → ${path}\n`);
    }
    io.stdout(`next: git add ${paths.length === 1 ? paths[0] : 'registry/renames'}, commit, and open a pull request on the registry\n`);
    return EXIT_OK;
  },
};

export default rename;
