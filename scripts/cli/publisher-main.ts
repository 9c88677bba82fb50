/**
 * `mcp-registry-publish`: the `publish` command alone, bundled into one dependency-free file
 * (scripts/cli/bundle-publisher.ts) so an author publishes without cloning the registry or
 * installing its packages. Same code as `mcp-registry publish`; only the entry differs.
 */
import { CliError, EXIT_USAGE } from '../core/errors.ts';
import publish from './commands/publish.ts';
import type { CommandIo } from './command.ts';

const NAME = 'mcp-registry-publish';

export async function publisherMain(argv: string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(publish.help.replace('mcp-registry publish', NAME));
    return 0;
  }
  try {
    return await publish.run(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${NAME}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

export function runPublisher(): void {
  const io: CommandIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
  publisherMain(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${NAME}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
