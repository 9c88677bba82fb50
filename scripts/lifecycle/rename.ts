/**
 * Renames as registry-owned state: a record `OLD → NEW` next to the status files, checked against the renames
 * already merged and the proofs the PR check gathered. Pure: records and facts in, diagnostics out.
 * The author's files stay immutable; a rename only adds a record, so the old name keeps answering.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { RenameRecord } from '../state/rename-file.ts';

export type { RenameRecord };

/** What the PR check established about the PR's author (the same checks as publishing). */
export interface RenameProofs {
  /** Whether the PR author may publish under each name (namespace ownership, as publishing checks it). */
  ownsName: (name: string) => boolean;
  /** Paths the PR changes besides the rename record. */
  otherChangedPaths: readonly string[];
}

/** The server name `io.github.<login>/…` names, or undefined for another namespace. */
function githubLogin(name: string): string | undefined {
  const m = /^io\.github\.([^/]+)\//.exec(name);
  return m?.[1]?.toLowerCase();
}

/**
 * Problems with adding `next` to the merged `existing` records. A chain (A→B then B→C) and a cycle are refused,
 * so that an old name resolves in one step and no name can be renamed back onto a name that still answers for
 * another; a target that has its own record (it moved away) or that is already renamed-to is refused too.
 */
export function renameProblems(existing: readonly RenameRecord[], next: RenameRecord, proofs: RenameProofs): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (next.from === next.to || existing.some((r) => r.from === next.to && r.to === next.from)) {
    out.push(diagnostic('lifecycle/rename-cycle', `${next.from} → ${next.to} would make a name answer for itself; a rename goes to a new name`));
  } else if (existing.some((r) => r.to === next.from || r.from === next.to)) {
    out.push(
      diagnostic(
        'lifecycle/rename-chain',
        `${next.from} → ${next.to} would chain renames; a merged record never changes, so ask a maintainer to re-point the original name to ${next.to}`,
      ),
    );
  }
  if (existing.some((r) => r.from === next.from)) {
    out.push(diagnostic('lifecycle/rename-exists', `${next.from} is already renamed; a rename record is never replaced by another PR`));
  }
  if (existing.some((r) => r.to === next.to && r.from !== next.from)) {
    out.push(diagnostic('lifecycle/rename-target-taken', `${next.to} already answers for another old name; pick a name no record points at`));
  }
  if (next.renamedBy === 'owner') {
    for (const name of [next.from, next.to]) {
      if (!proofs.ownsName(name))
        out.push(diagnostic('lifecycle/rename-not-owner', `the PR author does not own ${name}; a rename needs the same proof as publishing under both names`));
    }
  }
  if (proofs.otherChangedPaths.length > 0) {
    out.push(
      diagnostic(
        'lifecycle/rename-with-other-changes',
        `a rename PR changes only its rename record; it also changes ${proofs.otherChangedPaths.join(', ')}: open those as a separate PR`,
      ),
    );
  }
  return out;
}

/**
 * A GitHub login rename `io.github.<old>/x → io.github.<new>/x` is proven by the account id, never by the login:
 * a login is freed by a rename or deletion and can be taken by anyone.
 */
export function loginRenameProblems(next: RenameRecord, accountIdOfOldLogin: number | undefined, prAuthorAccountId: number | undefined): Diagnostic[] {
  const oldLogin = githubLogin(next.from);
  const newLogin = githubLogin(next.to);
  if (oldLogin === undefined || newLogin === undefined || oldLogin === newLogin) return [];
  if (next.from.slice(next.from.indexOf('/')) !== next.to.slice(next.to.indexOf('/'))) return [];
  if (prAuthorAccountId !== undefined && accountIdOfOldLogin === prAuthorAccountId) return [];
  return [
    diagnostic(
      'lifecycle/rename-account-mismatch',
      `io.github.${oldLogin} was published by GitHub account ${accountIdOfOldLogin ?? 'unknown'}, the PR comes from account ${prAuthorAccountId ?? 'unknown'}: only the same account id may move its entries to a new login`,
    ),
  ];
}

/** The current name an old name answers for; records are single-step by construction (no chains, no cycles). */
export function resolveRenamed(name: string, records: readonly RenameRecord[]): { name: string; renamedFrom?: string } {
  const r = records.find((x) => x.from === name);
  return r === undefined ? { name } : { name: r.to, renamedFrom: name };
}
