/**
 * Who approved a pull request, for a transfer's consent (lifecycle/transfer.ts): GitHub's reviews
 * (`GET /repos/{owner}/{repo}/pulls/{number}/reviews`) read into the logins whose approval covers the PR's head.
 * `approvers` is pure; `approvalsVia` is its GitHub edge.
 */
import type { Octokit } from '@octokit/rest';
import type { Approver } from '../lifecycle/transfer.ts';

/** The fields of one review the decision reads (GitHub lists them oldest first). */
export interface PullReview {
  user?: { login?: string; id?: number } | null;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  state?: string;
  /** The commit the review was made on. */
  commit_id?: string | null;
}

/**
 * The reviewers (sorted by login) whose latest deciding review approves `headSha` itself. A comment changes
 * nothing (as on GitHub); a later request for changes or a dismissal withdraws an approval; and an approval of
 * an earlier commit does not count, because the PR may have changed what it transfers since. Reviews are
 * grouped by account id, so one account's reviews under an old and a new login are one reviewer.
 */
export function approvers(reviews: readonly PullReview[], headSha: string): Approver[] {
  const last = new Map<string, { review: PullReview; approver: Approver }>();
  for (const r of reviews) {
    const login = r.user?.login?.toLowerCase();
    if (login === undefined || login === '') continue;
    const id = r.user?.id;
    const accountId = Number.isSafeInteger(id) && (id as number) > 0 ? (id as number) : undefined;
    const key = accountId === undefined ? `login:${login}` : `id:${accountId}`;
    const approver = { login, ...(accountId !== undefined ? { accountId } : {}) };
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED' || r.state === 'DISMISSED') last.set(key, { review: r, approver });
  }
  return [...last.values()]
    .filter(({ review }) => review.state === 'APPROVED' && review.commit_id === headSha)
    .map(({ approver }) => approver)
    .sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
}

/** The PR's approvers, asked of GitHub when the check first needs them (a PR with a rename record). */
export function approvalsVia(octokit: Octokit, pr: { owner: string; repo: string; number: number }): (headSha: string) => Promise<readonly Approver[]> {
  return async (headSha) => {
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: 100 });
    return approvers(reviews, headSha);
  };
}
