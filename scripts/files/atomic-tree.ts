/**
 * One folder written whole or not at all. The caller fills a temporary folder beside the target;
 * then the old tree is renamed away, the new one renamed in, and the old one removed. A fill that
 * fails leaves the old tree as it was. A process killed between the two renames leaves no target
 * but a complete `.<name>.old-<pid>-…`; the next write to the same target puts it back before
 * anything else, and removes the temporaries of writers that are gone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { environmentError } from '../core/errors.ts';

function kind(target: string, what: 'tmp' | 'old'): string {
  return `.${basename(target)}.${what}-`;
}

function temporaryName(target: string, what: 'tmp' | 'old'): string {
  return join(dirname(target), `${kind(target, what)}${process.pid}-${randomBytes(4).toString('hex')}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Names beside `target` left by a writer (of `what`) whose process is gone. */
async function orphans(target: string, what: 'tmp' | 'old'): Promise<string[]> {
  const prefix = kind(target, what);
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  return names.filter((name) => {
    const m = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length)) : null;
    return m !== null && !isAlive(Number(m[1]));
  });
}

/** Puts back the newest tree a killed writer renamed away, if the target is missing; clears the rest. */
export async function recoverTree(target: string): Promise<void> {
  const parent = dirname(target);
  const old = await orphans(target, 'old');
  if (!existsSync(target) && old.length > 0) {
    const dated = await Promise.all(old.map(async (name) => ({ name, at: (await stat(join(parent, name))).mtimeMs })));
    const [newest] = dated.sort((a, b) => b.at - a.at);
    if (newest) await rename(join(parent, newest.name), target);
  }
  for (const name of [...(await orphans(target, 'old')), ...(await orphans(target, 'tmp'))]) {
    await rm(join(parent, name), { recursive: true, force: true });
  }
}

/** `fill(dir)` writes the new tree into `dir`; it then replaces `target`. Returns what `fill` returned. */
export async function writeTreeAtomically<T>(target: string, fill: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(target), { recursive: true });
  await recoverTree(target);
  const temp = temporaryName(target, 'tmp');
  await mkdir(temp);
  let result: T;
  try {
    result = await fill(temp);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  const old = temporaryName(target, 'old');
  const hadOld = existsSync(target);
  try {
    if (hadOld) await rename(target, old);
    await rename(temp, target);
  } catch (error) {
    if (hadOld && !existsSync(target)) await rename(old, target).catch(() => undefined);
    await rm(temp, { recursive: true, force: true });
    throw environmentError(`cannot replace ${target}: ${(error as Error).message}`, error);
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
  return result;
}
