#!/usr/bin/env node
/**
 * The `mcp-registry` entry: the one place that maps results and errors to exit codes.
 * Commands are imported lazily so that `--help` starts fast.
 */
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT_USAGE } from '../core/errors.ts';
import type { Command, CommandIo } from './command.ts';

interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

const commands: Record<string, CommandEntry> = {
  validate: {
    summary: 'check server.json files against the schema and rules (no network)',
    load: async () => (await import('./commands/validate.ts')).default,
  },
  verify: { summary: 'prove namespace ownership, package artifacts and remotes (network)', load: async () => (await import('./commands/verify.ts')).default },
  inspect: {
    summary: 'connect to servers as an MCP client: record tools, health and tool changes',
    load: async () => (await import('./commands/inspect.ts')).default,
  },
  readme: {
    summary: "fetch each server's README from its package registry or repository into registry/readmes/",
    load: async () => (await import('./commands/readme.ts')).default,
  },
  sign: {
    summary: 'sign version or status files of a domain namespace with its published key',
    load: async () => (await import('./commands/sign.ts')).default,
  },
  build: {
    summary: 'turn servers/ into dist/: the static API, search index, site and host files',
    load: async () => (await import('./commands/build.ts')).default,
  },
  serve: { summary: 'serve a built dist/ with the registry API on http://127.0.0.1:4321', load: async () => (await import('./commands/serve.ts')).default },
  import: {
    summary: 'import API pages, server.json arrays or the 2025-05-16 seed into servers/',
    load: async () => (await import('./commands/import.ts')).default,
  },
  log: {
    summary: 'make the Ed25519 key that signs the transparency log (log keygen)',
    load: async () => (await import('./commands/log.ts')).default,
  },
  audit: {
    summary: "check a registry's transparency log: signature, tiles, consistency with a checkpoint seen before",
    load: async () => (await import('./commands/audit.ts')).default,
  },
  sync: { summary: 'mirror an upstream /v0.1 (or /v0) registry API into servers/', load: async () => (await import('./commands/sync.ts')).default },
  init: { summary: 'scaffold server.json from package.json, pyproject.toml or a .csproj', load: async () => (await import('./commands/init.ts')).default },
  publish: { summary: 'open or update the registry pull request for your server.json', load: async () => (await import('./commands/publish.ts')).default },
  deprecate: {
    summary: 'mark server versions deprecated (registry-owned state)',
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
  rename: {
    summary: 'record that a server now has a new name (registry-owned state)',
    load: async () => (await import('./commands/rename.ts')).default,
  },
  'pr-check': {
    summary: 'CI: check a registry pull request, report on it, track recurring failures',
    load: async () => (await import('./commands/pr-check.ts')).default,
  },
};

const VERSION = '0.1.0';

function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'mcp-registry: a static, git-backed registry of MCP servers',
    '',
    'Usage: mcp-registry <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `mcp-registry <command> --help` for the options of a command.',
    'Exit codes: 0 success, 1 the input failed a check, 2 usage or environment error.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`mcp-registry: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}.\n`);
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
      io.stderr(`mcp-registry ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined &&
  (import.meta.filename === process.argv[1] || process.argv[1].endsWith('mcp-registry.js') || process.argv[1].endsWith('mcp-registry'));

if (invokedDirectly) {
  // Compiled (and type-stripped) modules kept between runs: a build loads a few hundred of them.
  // The folder is NODE_COMPILE_CACHE's, else the user's cache folder (never the temporary folder, which
  // a build fills only with what it removes again); child processes (the site's Astro runs) inherit it.
  // NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  const compiled = enableCompileCache(process.env.NODE_COMPILE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mcp-registry', 'node'));
  if (compiled.directory !== undefined && process.env.NODE_COMPILE_CACHE === undefined) process.env.NODE_COMPILE_CACHE = compiled.directory;
  const io: CommandIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`mcp-registry: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
