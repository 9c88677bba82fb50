/**
 * Who approved a pull request, for a transfer's consent (lifecycle/transfer.ts): GitHub's reviews
 * (`GET /repos/{owner}/{repo}/pulls/{number}/reviews`) read into the logins whose approval covers the PR's head.
 * `approvers` is pure; `approvalsVia` is its GitHub edge.
 */
import type { Octokit } from '@octokit/rest';

/** The fields of one review the decision reads (GitHub lists them oldest first). */
export interface PullReview {
  user?: { login?: string } | null;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  state?: string;
  /** The commit the review was made on. */
  commit_id?: string | null;
}

/**
 * The logins (lower-cased, sorted) whose latest deciding review approves `headSha` itself. A comment changes
 * nothing (as on GitHub); a later request for changes or a dismissal withdraws an approval; and an approval of
 * an earlier commit does not count, because the PR may have changed what it transfers since.
 */
export function approvers(reviews: readonly PullReview[], headSha: string): string[] {
  const last = new Map<string, PullReview>();
  for (const r of reviews) {
    const login = r.user?.login?.toLowerCase();
    if (login === undefined || login === '') continue;
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED' || r.state === 'DISMISSED') last.set(login, r);
  }
  return [...last]
    .filter(([, r]) => r.state === 'APPROVED' && r.commit_id === headSha)
    .map(([login]) => login)
    .sort();
}

/** The PR's approvers, asked of GitHub when the check first needs them (a PR with a rename record). */
export function approvalsVia(octokit: Octokit, pr: { owner: string; repo: string; number: number }): (headSha: string) => Promise<readonly string[]> {
  return async (headSha) => {
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: 100 });
    return approvers(reviews, headSha);
  };
}
