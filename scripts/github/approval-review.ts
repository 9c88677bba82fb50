/**
 * A pull request's change to the approved list, registry/approved.yaml (views/approvals.ts): which
 * approvals it adds and removes, and whether the head's file holds. Pure over the two texts;
 * `approvalReviewOf` is the git edge. The decision (pr-decision.ts) sends every such change to a maintainer.
 */
import { diagnostic, warning } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { APPROVALS_FILE, parseApprovals } from '../views/approvals.ts';
import type { ApprovalRecord } from '../views/approvals.ts';
import type { ViewCode } from '../views/codes.ts';
import type { ClassifiedFile } from './classify-changes.ts';
import { showFile } from './git.ts';

export interface ApprovalReview {
  path: string;
  /** One line per approval added or removed, for the reviewer. */
  changes: string[];
  diagnostics: Diagnostic[];
}

function describe(name: string, r: ApprovalRecord): string {
  return `${name} ${r.versions.join(', ')} (by ${r.by}, ${r.at}${r.note === undefined ? '' : `: ${r.note}`})`;
}

function records(text: string | undefined): Map<string, { name: string; record: ApprovalRecord }> {
  const out = new Map<string, { name: string; record: ApprovalRecord }>();
  for (const [name, list] of parseApprovals(text).approvals) {
    for (const record of list) out.set(JSON.stringify([name, record.versions, record.by, record.at, record.note ?? null]), { name, record });
  }
  return out;
}

/** `base`/`head`: the file's text on each side (undefined: absent there). */
export function reviewApprovals(base: string | undefined, head: string | undefined, author: string): ApprovalReview {
  const parsed = parseApprovals(head);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const before = records(base);
  const after = parsed.diagnostics.length > 0 ? new Map() : records(head);
  const added = [...after].filter(([key]) => !before.has(key)).map(([, v]) => v);
  const removed = [...before].filter(([key]) => !after.has(key)).map(([, v]) => v);
  const changes = [...added.map((a) => `approves ${describe(a.name, a.record)}`), ...removed.map((r) => `withdraws ${describe(r.name, r.record)}`)];
  if (changes.length > 0) {
    diagnostics.push(
      warning(
        'approval/changed' satisfies ViewCode,
        `this pull request ${changes.join('; ')}. The approved list decides what the approved views serve and what their policy outputs allow, so a maintainer reviews and merges it`,
      ),
    );
  }
  for (const { name, record } of added) {
    if (record.by.toLowerCase() !== author.toLowerCase()) {
      diagnostics.push(
        warning(
          'approval/recorded-by-other' satisfies ViewCode,
          `the approval of ${name} ${record.versions.join(', ')} names ${record.by} as approver, but ${author} opened this pull request; the maintainer who merges checks that ${record.by} approved it`,
        ),
      );
    }
  }
  if (head === undefined && base !== undefined && removed.length === 0) {
    diagnostics.push(diagnostic('approval/changed' satisfies ViewCode, `${APPROVALS_FILE} is removed; a maintainer decides`, { severity: 'warning' }));
  }
  return { path: APPROVALS_FILE, changes, diagnostics };
}

/** The review of the approved list when the PR touches it, else undefined. */
export async function approvalReviewOf(
  repo: string,
  base: string,
  head: string,
  files: readonly ClassifiedFile[],
  author: string,
): Promise<ApprovalReview | undefined> {
  if (!files.some((f) => f.kind === 'approval')) return undefined;
  return reviewApprovals(await showFile(repo, base, APPROVALS_FILE), await showFile(repo, head, APPROVALS_FILE), author);
}
