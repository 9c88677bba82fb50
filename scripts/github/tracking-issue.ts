/**
 * One open issue per recurring problem (a failed deploy, entries that stopped verifying), found by its label:
 * opened on the first failure, commented on while it lasts, closed by the next success.
 */
import type { Octokit } from '@octokit/rest';

export interface TrackingIssue {
  owner: string;
  repo: string;
  label: string;
  title: string;
  /** The problem, in Markdown; undefined when everything is fine again. */
  problem?: string;
  /** Said when the issue closes (e.g. the run that succeeded). */
  resolution: string;
}

export type TrackingOutcome = { action: 'opened' | 'commented' | 'closed'; number: number } | { action: 'none' };

export async function syncTrackingIssue(octokit: Octokit, t: TrackingIssue): Promise<TrackingOutcome> {
  const open = (await octokit.paginate(octokit.rest.issues.listForRepo, { owner: t.owner, repo: t.repo, state: 'open', labels: t.label, per_page: 100 }))
    .filter((i) => !i.pull_request)
    .sort((a, b) => a.number - b.number);
  const existing = open[0];
  if (t.problem === undefined) {
    if (!existing) return { action: 'none' };
    await octokit.rest.issues.createComment({ owner: t.owner, repo: t.repo, issue_number: existing.number, body: t.resolution });
    await octokit.rest.issues.update({ owner: t.owner, repo: t.repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: existing.number };
  }
  if (existing) {
    await octokit.rest.issues.createComment({ owner: t.owner, repo: t.repo, issue_number: existing.number, body: t.problem });
    return { action: 'commented', number: existing.number };
  }
  const { data } = await octokit.rest.issues.create({ owner: t.owner, repo: t.repo, title: t.title, body: t.problem, labels: [t.label] });
  return { action: 'opened', number: data.number };
}
