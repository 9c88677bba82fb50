/**
 * A build that runs out of something (disk space, quota, a writable file system, file handles)
 * ends with one line that says what ran out and where, not a stack trace: the operator's fix
 * is outside this program. Errors come from this process (errno codes on the error) or from the
 * site build's process (only its output text is left, in node's `CODE: text, syscall 'path'` form).
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { environmentError } from '../core/errors.ts';
import type { CliError } from '../core/errors.ts';

const RAN_OUT: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EMFILE: 'this process has too many open files (raise `ulimit -n`)',
  ENFILE: 'the system has too many open files',
};

const FIX: Record<string, string> = {
  ENOSPC: 'free some space there and build again',
  EDQUOT: 'free some space or raise the quota and build again',
  EROFS: 'build into a writable folder (--out DIR)',
  EMFILE: 'raise the limit and build again',
  ENFILE: 'close other programs and build again',
};

interface ResourceFault {
  code: string;
  syscall?: string;
  path?: string;
}

function mib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${Math.floor(bytes / 1024)} KiB`;
}

/** The size of the file system holding `path` (its nearest existing folder). */
function sizeAt(path: string): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      const s = statfsSync(dir);
      return mib(s.blocks * s.bsize);
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

function describe(fault: ResourceFault, where: string | undefined): CliError {
  const path = fault.path ?? where;
  const doing = fault.syscall ? ` (${fault.syscall}${path ? ` ${path}` : ''})` : path ? ` at ${path}` : '';
  // Free space now would mislead: the partial output has been removed by the time this is read.
  const size = fault.code === 'ENOSPC' && path ? sizeAt(path) : undefined;
  const left = size ? ` on a file system of ${size}` : '';
  return environmentError(`${RAN_OUT[fault.code] as string}: ${fault.code}${doing}${left}; ${FIX[fault.code] as string} (the previous output is unchanged)`);
}

/** The one-line error for `error` when it is a resource fault, else undefined. `where` names the folder being written. */
export function resourceError(error: unknown, where?: string): CliError | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (!e || typeof e.code !== 'string' || !(e.code in RAN_OUT)) return undefined;
  return describe({ code: e.code, ...(e.syscall ? { syscall: e.syscall } : {}), ...(e.path ? { path: e.path } : {}) }, where);
}

/** The C library's words for each code, which tools not written for node (rolldown, esbuild) print. */
const STRERROR: Record<string, string> = {
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EROFS: 'Read-only file system',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
};

const NODE_FORM = new RegExp(`\\b(${Object.keys(RAN_OUT).join('|')})\\b(?::[^,\\n]*,\\s*(\\w+)\\s+'([^'\\n]+)')?`);
const LIBC_FORM = new RegExp(
  Object.values(STRERROR)
    .sort((a, b) => b.length - a.length)
    .join('|'),
);
const ABSOLUTE_PATH = /\/(?:[\w.@+-]+\/)*[\w.@+-]+/g;

/**
 * The same, read from another process's output: node's `CODE: text, syscall 'path'`, or the C
 * library's text with the last absolute path printed shortly before it as the place.
 */
export function resourceErrorInOutput(output: string, where?: string): CliError | undefined {
  const node = NODE_FORM.exec(output);
  if (node) return describe({ code: node[1] as string, ...(node[2] ? { syscall: node[2] } : {}), ...(node[3] ? { path: node[3] } : {}) }, where);
  const libc = LIBC_FORM.exec(output);
  if (!libc) return undefined;
  const code = Object.keys(STRERROR).find((c) => STRERROR[c] === libc[0]) as string;
  const before = output.slice(Math.max(0, libc.index - 400), libc.index).match(ABSOLUTE_PATH);
  const path = before?.[before.length - 1];
  return describe({ code, ...(path ? { path } : {}) }, where);
}
