/** The file-system edge of the approved list: reads registry/approved.yaml (absent: no approvals). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { environmentError } from '../core/errors.ts';
import { APPROVALS_FILE, parseApprovals } from './approvals.ts';
import type { ParsedApprovals } from './approvals.ts';

export async function readApprovals(root: string): Promise<ParsedApprovals> {
  let text: string | undefined;
  try {
    text = await readFile(join(root, APPROVALS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw environmentError(`cannot read ${APPROVALS_FILE}: ${(error as Error).message}`, error);
  }
  return parseApprovals(text);
}
