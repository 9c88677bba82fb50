/**
 * The PR check's reading of an owner record the PR adds (`registry/owners/io.github.<login>.yaml`, state/owner-file.ts):
 * it records the GitHub account id behind a login, so it is accepted only from that login and that account id,
 * both taken from the event. Merged, it never changes by PR (classify-changes.ts refuses that by path).
 * `reviewOwnerRecord` is pure; `ownerReviews` is its git edge.
 */
import { diagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import { ownerLogin, parseOwnerFile } from '../state/owner-file.ts';
import type { ClassifiedFile } from './classify-changes.ts';
import { listTree, showFile } from './git.ts';

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

/** The account ids recorded on `rev` (login → id): a PR cannot vouch for itself by adding one. */
export async function recordedAccountIds(repo: string, rev: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const path of await listTree(repo, rev, 'registry/owners')) {
    const login = ownerLogin(path);
    const text = login === undefined ? undefined : await showFile(repo, rev, path);
    const owner = text === undefined || login === undefined ? undefined : parseOwnerFile(text, login).value;
    if (owner) ids.set(owner.login, owner.accountId);
  }
  return ids;
}

/** An owner record the PR adds as a regular file (an edit, removal or link already has its error). */
export function isNewOwnerRecord(f: ClassifiedFile): boolean {
  return f.kind === 'owner' && !hasErrors(f.diagnostics);
}

/**
 * A version published under `io.github.<login>` whose recorded account id is not the PR author's: the login
 * changed hands (renamed away, then taken), and holding it does not make its new holder the publisher.
 */
export function publisherMismatch(file: ClassifiedFile, accountIds: ReadonlyMap<string, number>, authorId: number | undefined): OwnerReview | undefined {
  if (file.kind !== 'new-server' && file.kind !== 'new-version') return undefined;
  const login = /^io\.github\.([a-z0-9-]+)$/i.exec(file.namespace ?? '')?.[1]?.toLowerCase();
  const recorded = login === undefined ? undefined : accountIds.get(login);
  if (recorded === undefined || recorded === authorId) return undefined;
  return {
    path: file.path,
    diagnostics: [
      diagnostic(
        'lifecycle/publisher-account-mismatch',
        `io.github.${login} was published by GitHub account ${recorded}, this pull request comes from account ${authorId ?? 'unknown'}: a login that changed hands does not carry its namespace; publish under your own login`,
      ),
    ],
  };
}

export async function ownerReviews(
  repo: string,
  base: string,
  head: string,
  files: readonly ClassifiedFile[],
  author: string,
  authorId: number | undefined,
): Promise<OwnerReview[]> {
  const out: OwnerReview[] = [];
  const accountIds = await recordedAccountIds(repo, base);
  for (const f of files) {
    const mismatch = publisherMismatch(f, accountIds, authorId);
    if (mismatch) out.push(mismatch);
  }
  for (const f of files.filter(isNewOwnerRecord)) {
    // `git show` reads a symbolic link as its target's name, never the file it points at.
    const text = await showFile(repo, head, f.path);
    if (text !== undefined) out.push(reviewOwnerRecord(f.path, text, author, authorId));
  }
  return out;
}
