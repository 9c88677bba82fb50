/** `mcp-registry init`: read the project's manifest, ask only for what it cannot infer, write server.json. */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { buildServerJson, inferAnswers, launchProblem, type InitAnswers } from '../../author/init-server.ts';
import { readCsproj, readPackageJson, readPyproject, readmeServerName, type ProjectFacts } from '../../author/project-manifest.ts';
import { parseRegistryConfig } from '../../config/registry-config.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, environmentError, usageError } from '../../core/errors.ts';
import { writeFileAtomically } from '../../files/atomic-file.ts';
import { validateDocument } from '../../validate/validate-document.ts';
import { parseFlags } from '../args.ts';
import type { Command, CommandIo } from '../command.ts';

export type Asker = (prompt: string) => Promise<string>;

export const INIT_HELP = `Usage: mcp-registry init [options]

Writes server.json for the project in the current folder, inferring what it can from package.json,
pyproject.toml or a .csproj (name, version, description, repository, website; the server name from
package.json's mcpName, a README's "mcp-name:" line, or the GitHub repository). It asks only for what
is missing; with --no-input (or without a terminal) a missing value is an error naming its flag.

Options:
  --from FILE           manifest to read (default: the first of package.json, pyproject.toml, *.csproj)
  --name NAME           server name, e.g. io.github.you/weather
  --description TEXT    at most 100 characters
  --version V
  --transport stdio|streamable-http|sse   (default stdio)
  --url URL             for the http transports
  --out FILE            default server.json
  --force               overwrite an existing file
  --no-input            never ask
  -h, --help            this help
`;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function findManifest(dir: string): Promise<string | undefined> {
  for (const name of ['package.json', 'pyproject.toml']) if (await exists(join(dir, name))) return join(dir, name);
  const csproj = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.csproj')).sort()[0];
  return csproj ? join(dir, csproj) : undefined;
}

async function readFacts(manifest: string): Promise<ProjectFacts> {
  let text: string;
  try {
    text = await readFile(manifest, 'utf8');
  } catch (error) {
    throw environmentError(`cannot read ${manifest}: ${(error as Error).message}`, error);
  }
  const name = basename(manifest);
  let facts: ProjectFacts;
  if (name === 'package.json') {
    const r = readPackageJson(text);
    if ('error' in r) throw environmentError(r.error);
    facts = r;
  } else if (name.endsWith('.toml')) facts = readPyproject(text);
  else if (name.toLowerCase().endsWith('.csproj')) facts = readCsproj(text, name);
  else throw usageError(`--from must be a package.json, pyproject.toml or .csproj, not ${name}`);
  if (!facts.serverName) {
    const readme = await readFile(join(dirname(manifest), 'README.md'), 'utf8').catch(() => '');
    const fromReadme = readmeServerName(readme);
    if (fromReadme) facts.serverName = fromReadme;
  }
  return facts;
}

export function terminalAsker(): Asker | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (prompt) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return (await rl.question(`${prompt}: `)).trim();
    } finally {
      rl.close();
    }
  };
}

export async function runInit(argv: string[], io: CommandIo, ask: Asker | undefined): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    from: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    version: { type: 'string' },
    transport: { type: 'string' },
    url: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    'no-input': { type: 'boolean' },
  });
  if (positionals.length > 0) throw usageError(`init takes no arguments; got ${positionals.join(' ')}`);
  const transport = values.transport ?? 'stdio';
  if (transport !== 'stdio' && transport !== 'streamable-http' && transport !== 'sse') throw usageError('--transport must be stdio, streamable-http or sse');
  const out = resolve(io.cwd, values.out ?? 'server.json');
  if (!values.force && (await exists(out))) throw usageError(`${values.out ?? 'server.json'} exists; pass --force to overwrite it`);
  if (!values.from && (await exists(join(io.cwd, 'registry.config.yaml')))) {
    throw usageError(
      "this folder is a registry clone, not your server's project; pass --from ../your-project/package.json (or pyproject.toml, a .csproj) and --out ../your-project/server.json",
    );
  }
  const manifest = values.from ? resolve(io.cwd, values.from) : await findManifest(io.cwd);
  if (!manifest) throw usageError('no package.json, pyproject.toml or .csproj here; pass --from FILE');
  const facts = await readFacts(manifest);

  const given: InitAnswers = { transport };
  for (const key of ['name', 'description', 'version', 'url'] as const) if (values[key] !== undefined) given[key] = values[key];
  const { answers, questions } = inferAnswers(facts, given);
  const asker = values['no-input'] ? undefined : ask;
  const missing: string[] = [];
  for (const q of questions) {
    const reply = asker ? await asker(q.prompt) : '';
    if (reply === '') missing.push(q.flag);
    else answers[q.key] = reply as never;
  }
  const { name, description, version } = answers;
  if (missing.length > 0 || name === undefined || description === undefined || version === undefined)
    throw usageError(`cannot infer ${missing.join(', ')} from ${basename(manifest)}; pass ${missing.map((f) => `${f} VALUE`).join(' ')}`);

  const server = buildServerJson(facts, { ...answers, name, description, version });
  const text = `${JSON.stringify(server, null, 2)}\n`;
  const checked = validateDocument(text, values.out ?? 'server.json', parseRegistryConfig(undefined));
  for (const d of checked.diagnostics) io.stderr(`${values.out ?? 'server.json'} ${d.pointer || '/'}: ${d.severity} ${d.code}: ${d.message}\n`);
  if (!checked.ok) {
    io.stderr('not written: fix the values above (flags or the manifest) and run init again\n');
    return EXIT_CHECK_FAILED;
  }
  const launch = launchProblem(facts, basename(manifest));
  if (launch !== undefined) io.stderr(`warning: ${launch}\n`);
  await writeFileAtomically(out, text);
  io.stdout(
    `wrote ${values.out ?? 'server.json'} for ${server.name} ${server.version} (from ${basename(manifest)}); next: mcp-registry publish ${values.out === undefined ? '' : `${values.out} `}--registry OWNER/NAME\n`,
  );
  return EXIT_OK;
}

const command: Command = {
  help: INIT_HELP,
  run: (argv, io) => runInit(argv, io, terminalAsker()),
};
export default command;
