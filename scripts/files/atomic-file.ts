/**
 * One file written whole or not at all. The bytes go to a temporary file beside the target (the
 * same folder, so the rename never crosses file systems), are flushed to disk, and the temporary
 * is renamed over the target: a reader, or a run killed at any point, sees the old file or the
 * new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { environmentError } from '../core/errors.ts';

/** `.<name>.<pid>-<random>.tmp`: hidden, and named after its writer so a leftover can be told apart. */
export function temporaryFileName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Creates the folder if needed; a failure is an environment error naming the file. */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temp = temporaryFileName(file);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, data, { flush: true });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw environmentError(`cannot write ${file}: ${(error as Error).message}`, error);
  }
}
