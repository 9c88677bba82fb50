/** What every `mcp-registry <command>` module exports. */

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** Full `--help` text. */
  help: string;
  /** Returns the exit code: 0 ok, 1 a check failed. Throws CliError for usage/environment errors. */
  run: (argv: string[], io: CommandIo) => Promise<number>;
}
