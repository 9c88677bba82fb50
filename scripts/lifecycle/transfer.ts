/**
 * A transfer: a rename that moves a server out of another owner's `io.github.<login>` namespace into the PR
 * author's. Unlike a rename between one's own names it needs the old owner's consent (their approval of the PR)
 * or, when the old owner is gone, a maintainer's decision with a reason. Pure: the record and facts in,
 * diagnostics out. (A login rename, where the old login is the same GitHub account, is proven by the account id:
 * rename.ts `loginRenameProblems`.)
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { RenameRecord } from '../state/rename-file.ts';

export interface Transfer {
  name: string;
  to: string;
  /** The GitHub login that owns the old name. */
  fromOwner: string;
  /** The GitHub account id recorded for `io.github.<fromOwner>` (registry/owners), when there is one. */
  fromAccountId?: number;
  /** The PR author, who owns the new name. */
  toOwner: string;
}

/** A reviewer whose approval covers the PR's head: GitHub's login and immutable account id. */
export interface Approver {
  /** Lower-cased. */
  login: string;
  /** `user.id` of the review; GitHub always sends it, a test or an old caller may not. */
  accountId?: number;
}

export interface TransferConsent {
  /** Reviewers that approved the pull request. */
  approvedBy: readonly Approver[];
  /** A maintainer's recorded reason, when a maintainer decides (the old owner is gone). */
  maintainerReason?: string;
}

function githubLogin(name: string): string | undefined {
  return /^io\.github\.([a-z0-9-]+)\//i.exec(name)?.[1]?.toLowerCase();
}

/** The transfer `record` asks for when `author` opens it: the old name is another login's, the new one the author's. */
export function transferOf(record: Pick<RenameRecord, 'from' | 'to'>, author: string): Transfer | undefined {
  const fromOwner = githubLogin(record.from);
  const toOwner = githubLogin(record.to);
  const me = author.toLowerCase();
  if (fromOwner === undefined || toOwner !== me || fromOwner === me) return undefined;
  return { name: record.from, to: record.to, fromOwner, toOwner };
}

/**
 * Whether the old owner is among the approvers. With an account id recorded for the old login, only that id
 * counts: a login is freed by a rename or deletion and can be taken by anyone, so an impostor holding the old
 * login cannot consent, and the owner keeps consenting under a new login. Without a record (a namespace
 * published before registry/owners existed) the login is all there is to match.
 */
export function ownerApproved(approvedBy: readonly Approver[], owner: { login: string; accountId?: number }): boolean {
  if (owner.accountId !== undefined) return approvedBy.some((a) => a.accountId === owner.accountId);
  return approvedBy.some((a) => a.login.toLowerCase() === owner.login.toLowerCase());
}

/** The approver that stands for the old owner (see ownerApproved), for the sticky comment. */
export function ownerApprover(approvedBy: readonly Approver[], owner: { login: string; accountId?: number }): Approver | undefined {
  return approvedBy.find((a) => (owner.accountId !== undefined ? a.accountId === owner.accountId : a.login.toLowerCase() === owner.login.toLowerCase()));
}

/** `bob` or, with a recorded id, `GitHub account 7 (io.github.bob)`: who must consent. */
export function owner(transfer: Pick<Transfer, 'fromOwner' | 'fromAccountId'>): string {
  return transfer.fromAccountId === undefined ? transfer.fromOwner : `GitHub account ${transfer.fromAccountId} (io.github.${transfer.fromOwner})`;
}

export function transferProblems(transfer: Transfer, consent: TransferConsent): Diagnostic[] {
  if (ownerApproved(consent.approvedBy, { login: transfer.fromOwner, ...(transfer.fromAccountId !== undefined ? { accountId: transfer.fromAccountId } : {}) }))
    return [];
  if ((consent.maintainerReason ?? '').trim() !== '') return [];
  return [
    diagnostic(
      'lifecycle/transfer-without-consent',
      `${transfer.name} belongs to ${owner(transfer)}; moving it to ${transfer.to} needs ${owner(transfer)}'s approval of this pull request, or a maintainer's decision with a reason when ${transfer.fromOwner} is gone`,
    ),
  ];
}
