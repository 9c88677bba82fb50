import { INIT_HELP, runInit, terminalAsker } from '../../author/init-command.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: INIT_HELP,
  run: (argv, io) => runInit(argv, io, terminalAsker()),
};
export default command;
