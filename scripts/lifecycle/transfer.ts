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
  /** The PR author, who owns the new name. */
  toOwner: string;
}

export interface TransferConsent {
  /** Logins that approved the pull request. */
  approvedBy: readonly string[];
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

export function transferProblems(transfer: Transfer, consent: TransferConsent): Diagnostic[] {
  if (consent.approvedBy.some((login) => login.toLowerCase() === transfer.fromOwner)) return [];
  if ((consent.maintainerReason ?? '').trim() !== '') return [];
  return [
    diagnostic(
      'lifecycle/transfer-without-consent',
      `${transfer.name} belongs to ${transfer.fromOwner}; moving it to ${transfer.to} needs ${transfer.fromOwner}'s approval of this pull request, or a maintainer's decision with a reason when ${transfer.fromOwner} is gone`,
    ),
  ];
}
