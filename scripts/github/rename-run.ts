/** The git edge of rename-review.ts: the PR's rename records and the base branch's, read with `git show`. */
import type { Approver } from '../lifecycle/transfer.ts';
import { parseRenameFile, type RenameRecord } from '../state/rename-file.ts';
import type { ClassifiedFile } from './classify-changes.ts';
import { listTree, showFile } from './git.ts';
import { isNewOwnerRecord, recordedAccountIds, type AccountLookup, type GitHubAccount } from './owner-review.ts';
import { renamedName, reviewRename, type RenameReview } from './rename-review.ts';

export async function renameReviews(
  repo: string,
  base: string,
  head: string,
  files: readonly ClassifiedFile[],
  author: string,
  approvals?: (headSha: string) => Promise<readonly Approver[]>,
  /** Whether the PR's author is a maintainer; asked only for a record written as a maintainer's decision. */
  isMaintainer?: () => Promise<boolean>,
  /** The PR author's GitHub account id (`pull_request.user.id`), compared with the ids in registry/owners/. */
  authorId?: number,
  /** GitHub's answer for the records' other logins (organisations); absent, only the author's login is known. */
  lookup?: AccountLookup,
): Promise<RenameReview[]> {
  const changed = files.filter((f) => renamedName(f.path) !== undefined).map((f) => f.path);
  if (changed.length === 0) return [];
  const existing: RenameRecord[] = [];
  for (const path of (await listTree(repo, base, 'registry/renames')).sort()) {
    const name = renamedName(path);
    const text = name === undefined ? undefined : await showFile(repo, base, path);
    const record = text === undefined || name === undefined ? undefined : parseRenameFile(text, name).value;
    if (record) existing.push(record);
  }
  // The account ids recorded on the base branch: a PR cannot vouch for itself by adding one.
  const accountIds = await recordedAccountIds(repo, base);
  // An owner record for the new login may ride along (it is checked on its own, owner-review.ts).
  const others = files.filter((f) => !changed.includes(f.path) && !isNewOwnerRecord(f)).map((f) => f.path);
  // Asked only for a PR with a rename record, so a lookup never slows down an ordinary publish.
  let approvedBy: readonly Approver[] | undefined;
  let approvalsError: string | undefined;
  try {
    approvedBy = approvals === undefined ? undefined : await approvals(head);
  } catch (error) {
    // Consent can only be gained from the approvals: a failed lookup leaves the transfer to a maintainer.
    approvalsError = error instanceof Error ? error.message : String(error);
  }
  // The logins the records name, other than the author's, as GitHub answers them now: organisations.
  const accounts = new Map<string, GitHubAccount>();
  for (const path of lookup === undefined ? [] : changed) {
    const text = await showFile(repo, head, path);
    const record = text === undefined ? undefined : parseRenameFile(text, renamedName(path) ?? path).value;
    for (const name of record === undefined ? [] : [record.from, record.to]) {
      const login = /^io\.github\.([a-z0-9-]+)\//i.exec(name)?.[1]?.toLowerCase();
      if (login === undefined || login === author.toLowerCase() || accounts.has(login)) continue;
      const account = await lookup?.(login);
      if (account !== undefined) accounts.set(login, account);
    }
  }
  const out: RenameReview[] = [];
  let maintainer: boolean | undefined;
  for (const path of changed.sort()) {
    // `git show` reads a symbolic link as its target's name, never the file it points at.
    const text = await showFile(repo, head, path);
    const claimsMaintainer = text !== undefined && parseRenameFile(text, renamedName(path) ?? path).value?.renamedBy === 'maintainer';
    if (claimsMaintainer && maintainer === undefined) maintainer = isMaintainer === undefined ? false : await isMaintainer();
    if (text !== undefined)
      out.push(
        reviewRename(path, text, existing, {
          author,
          maintainer: claimsMaintainer && maintainer === true,
          otherChangedPaths: others,
          accountIds,
          accounts,
          ...(authorId !== undefined ? { authorId } : {}),
          ...(approvedBy !== undefined ? { approvedBy } : {}),
          ...(approvalsError !== undefined ? { approvalsError } : {}),
        }),
      );
  }
  return out;
}
