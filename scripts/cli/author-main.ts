/**
 * The author CLI: the commands a server's author runs (init, validate, verify, sign, publish and
 * the lifecycle ones), bundled into one dependency-free file for Node ≥ 20 and packed as an npm
 * package whose bin is `mcp-registry` (scripts/cli/pack-cli.ts). The same command modules as the
 * registry's own `mcp-registry`; registry-side commands (build, serve, sync, import, pr-check) stay out.
 */
import { CliError, EXIT_USAGE, environmentError } from '../core/errors.ts';
import { VERIFY_MIN_NODE } from '../verify/finding.ts';
import type { Command, CommandIo } from './command.ts';

const NAME = 'mcp-registry';

/**
 * Loaded on demand, as in `mcp-registry`: the bundle then evaluates only the command that runs, so
 * commands that need no HTTP client start on Node 20 even though undici (verify's client) needs 22.
 */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  init: { summary: 'scaffold server.json from package.json, pyproject.toml or a .csproj', load: async () => (await import('./commands/init.ts')).default },
  validate: {
    summary: 'check server.json files against the schema and rules (no network)',
    load: async () => (await import('./commands/validate.ts')).default,
  },
  verify: { summary: 'prove namespace ownership, package artifacts and remotes (network; Node 22 or later)', load: loadVerify },
  sign: {
    summary: 'sign version or status files of a domain namespace with its published key',
    load: async () => (await import('./commands/sign.ts')).default,
  },
  publish: { summary: 'open or update the registry pull request for your server.json', load: async () => (await import('./commands/publish.ts')).default },
  deprecate: {
    summary: 'mark server versions deprecated (in a registry checkout)',
    load: async () => (await import('./commands/lifecycle.ts')).lifecycleCommand('deprecate'),
  },
  delete: {
    summary: 'mark server versions deleted (hidden, never erased)',
    load: async () => (await import('./commands/lifecycle.ts')).lifecycleCommand('delete'),
  },
  restore: {
    summary: 'make deprecated or deleted versions active again',
    load: async () => (await import('./commands/lifecycle.ts')).lifecycleCommand('restore'),
  },
};

/** The minimum Node of the HTTP client verify uses (undici); checked before loading it, which would crash on older ones. */
export { VERIFY_MIN_NODE };

async function loadVerify(): Promise<Command> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < VERIFY_MIN_NODE) {
    throw environmentError(
      `verify needs Node ${VERIFY_MIN_NODE} or later (this is ${process.versions.node}); run it with a newer Node, or let the registry's pull-request check verify for you`,
    );
  }
  return (await import('./commands/verify.ts')).default;
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    `${NAME}: the author commands of the MCP static registry`,
    '',
    `Usage: ${NAME} <command> [options]`,
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
    '',
    `Run \`${NAME} <command> --help\` for the options of a command.`,
    'Exit codes: 0 success, 1 the input failed a check, 2 usage or environment error.',
    '',
  ].join('\n');
}

export async function authorMain(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`${NAME}: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}.\n`);
    return EXIT_USAGE;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${NAME} ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

export function runAuthorCli(): void {
  const io: CommandIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
  authorMain(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${NAME}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
