/**
 * Makes a sync resumable: each accepted page is saved under registry/sync/<slug>.journal/ before
 * the next one is fetched. servers/ is only touched when the walk is complete, so an interrupted
 * sync changes nothing, and the next run with the same upstream and --since carries on from the
 * saved cursor. The journal is removed after a successful commit.
 */
import { mkdir, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../core/is-record.ts';
import { writeFileAtomically } from '../files/atomic-file.ts';
import type { WalkState } from './page-walk.ts';
import { newWalkState } from './page-walk.ts';

interface JournalHead {
  base: string;
  since: string | null;
  cursor: string | null;
  pages: number;
  cursors: string[];
  startedAt: string | null;
}

export function journalDir(root: string, slug: string): string {
  return join(root, 'registry', 'sync', `${slug}.journal`);
}

function pageFile(n: number): string {
  return `page-${String(n).padStart(6, '0')}.json`;
}

/** The saved walk for this upstream and `since`, or a fresh one (a mismatched journal is discarded). */
export async function restoreWalk(
  root: string,
  slug: string,
  base: string,
  since: string | undefined,
): Promise<{ state: WalkState; items: unknown[]; resumed: boolean }> {
  const dir = journalDir(root, slug);
  let head: JournalHead | undefined;
  try {
    const raw: unknown = JSON.parse(await readFile(join(dir, 'head.json'), 'utf8'));
    if (isRecord(raw)) head = raw as unknown as JournalHead;
  } catch {
    head = undefined;
  }
  if (!head || head.base !== base || head.since !== (since ?? null) || head.cursor === null) {
    await rm(dir, { recursive: true, force: true });
    return { state: newWalkState(), items: [], resumed: false };
  }
  const items: unknown[] = [];
  const files = (await readdir(dir)).filter((f) => f.startsWith('page-')).sort();
  for (const f of files.slice(0, head.pages)) {
    const page: unknown = JSON.parse(await readFile(join(dir, f), 'utf8'));
    if (Array.isArray(page)) items.push(...page);
  }
  const state = newWalkState();
  state.cursor = head.cursor;
  state.pages = head.pages;
  state.cursors = new Set(head.cursors);
  if (head.startedAt !== null) state.startedAt = head.startedAt;
  for (const item of items) {
    const server = isRecord(item) && isRecord(item.server) ? item.server : undefined;
    if (server) state.seen.add(`${String(server.name)}@${String(server.version)}`);
  }
  return { state, items, resumed: true };
}

export async function savePage(root: string, slug: string, base: string, since: string | undefined, items: unknown[], state: WalkState): Promise<void> {
  const dir = journalDir(root, slug);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, pageFile(state.pages)), JSON.stringify(items));
  const head: JournalHead = {
    base,
    since: since ?? null,
    cursor: state.cursor ?? null,
    pages: state.pages,
    cursors: [...state.cursors],
    startedAt: state.startedAt ?? null,
  };
  // The head names the pages saved so far: a run killed before it is replaced resumes from the last one.
  await writeFileAtomically(join(dir, 'head.json'), JSON.stringify(head));
}

/** Removes the journal, and the registry/sync and registry folders if that leaves them empty. */
export async function clearJournal(root: string, slug: string): Promise<void> {
  await rm(journalDir(root, slug), { recursive: true, force: true });
  for (const dir of [join(root, 'registry', 'sync'), join(root, 'registry')]) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
  }
}
