/**
 * The PR check's reading of an owner record the PR adds (`registry/owners/io.github.<login>.yaml`, state/owner-file.ts):
 * it records the GitHub account id behind a login, so it is accepted only from that login and that account id,
 * both taken from the event. Merged, it never changes by PR (classify-changes.ts refuses that by path).
 * `reviewOwnerRecord` is pure; `ownerReviews` is its git edge.
 */
import { diagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import { ownerLogin, parseOwnerFile } from '../state/owner-file.ts';
import type { ClassifiedFile } from './classify-changes.ts';
import { showFile } from './git.ts';

export interface OwnerReview {
  path: string;
  diagnostics: Diagnostic[];
}

export function reviewOwnerRecord(path: string, text: string, author: string, authorId: number | undefined): OwnerReview {
  const login = ownerLogin(path) ?? '';
  const parsed = parseOwnerFile(text, login);
  if (!parsed.value) return { path, diagnostics: parsed.diagnostics };
  const { accountId } = parsed.value;
  if (login === author.toLowerCase() && authorId !== undefined && accountId === authorId) return { path, diagnostics: [] };
  return {
    path,
    diagnostics: [
      diagnostic(
        'lifecycle/owner-record-mismatch',
        `${path} records GitHub account ${accountId} for the login ${login}, but this pull request comes from ${author} (account ${authorId ?? 'unknown'}): an owner record is added only by the account it names, from its own login`,
      ),
    ],
  };
}

/** An owner record the PR adds as a regular file (an edit, removal or link already has its error). */
export function isNewOwnerRecord(f: ClassifiedFile): boolean {
  return f.kind === 'owner' && !hasErrors(f.diagnostics);
}

export async function ownerReviews(
  repo: string,
  head: string,
  files: readonly ClassifiedFile[],
  author: string,
  authorId: number | undefined,
): Promise<OwnerReview[]> {
  const out: OwnerReview[] = [];
  for (const f of files.filter(isNewOwnerRecord)) {
    // `git show` reads a symbolic link as its target's name, never the file it points at.
    const text = await showFile(repo, head, f.path);
    if (text !== undefined) out.push(reviewOwnerRecord(f.path, text, author, authorId));
  }
  return out;
}
