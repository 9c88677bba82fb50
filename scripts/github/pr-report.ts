/**
 * The privileged half of the PR check: takes the check's result (data, never code), posts or updates the sticky
 * comment, syncs the managed labels, and merges when the result allows it and the PR stays inside registry data.
 */
import type { Octokit } from '@octokit/rest';
import { isStatus } from '../net/github-client.ts';
import { COMMENT_MARKER, renderComment } from './pr-comment.ts';
import { MANAGED_LABELS, notDefaultBranchReason, type ManagedLabel, type PrCheckResult } from './pr-decision.ts';

export interface ReportTarget {
  owner: string;
  repo: string;
  /** head_sha of the workflow run that produced the result; a result for another commit is stale. */
  runHeadSha: string;
  /** Login the token comments as (`github-actions[bot]` for GITHUB_TOKEN): only its comments are edited. */
  botLogin: string;
  docsBase: string;
  /** Off for registries that want a human to press merge every time. */
  allowMerge: boolean;
  /**
   * Workflow file to dispatch after the bot merges (e.g. `deploy.yml`): a merge made with GITHUB_TOKEN
   * starts no push workflows, so the deploy is asked for explicitly.
   */
  deployWorkflow?: string;
}

export interface ReportOutcome {
  status: 'reported' | 'stale' | 'closed';
  comment?: 'created' | 'updated' | 'unchanged';
  labelsAdded: string[];
  labelsRemoved: string[];
  merged: boolean;
  /** The deploy workflow was dispatched after the merge. */
  deployDispatched: boolean;
  notes: string[];
}

/** Only registry data may be merged by the bot; anything else could have changed the check itself. */
export function isRegistryDataPath(path: string): boolean {
  return /^servers\/[^/]+\/[^/]+\/[^/]+\.json(\.sig)?$/.test(path) || /^registry\/status\/[^/]+\/[^/]+\.yaml(\.sig)?$/.test(path);
}

async function upsertComment(octokit: Octokit, t: ReportTarget, number: number, body: string): Promise<'created' | 'updated' | 'unchanged'> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: t.owner, repo: t.repo, issue_number: number, per_page: 100 });
  const mine = comments.find((c) => c.user?.login === t.botLogin && c.body?.startsWith(COMMENT_MARKER));
  if (!mine) {
    await octokit.rest.issues.createComment({ owner: t.owner, repo: t.repo, issue_number: number, body });
    return 'created';
  }
  if (mine.body === body) return 'unchanged';
  await octokit.rest.issues.updateComment({ owner: t.owner, repo: t.repo, comment_id: mine.id, body });
  return 'updated';
}

async function syncLabels(octokit: Octokit, t: ReportTarget, number: number, current: string[], wanted: readonly ManagedLabel[]) {
  const add = wanted.filter((l) => !current.includes(l));
  const remove = MANAGED_LABELS.filter((l) => current.includes(l) && !wanted.includes(l));
  if (add.length > 0) await octokit.rest.issues.addLabels({ owner: t.owner, repo: t.repo, issue_number: number, labels: add });
  for (const name of remove) {
    try {
      await octokit.rest.issues.removeLabel({ owner: t.owner, repo: t.repo, issue_number: number, name });
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
    }
  }
  return { add, remove };
}

/**
 * Files of the PR outside registry data. GitHub lists at most 3,000 files; when the list is shorter than the
 * PR's `changed_files`, the unseen rest counts as outside, since anything could hide there.
 */
async function outsideRegistryData(octokit: Octokit, t: ReportTarget, number: number, changedFiles: number): Promise<string[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: t.owner, repo: t.repo, pull_number: number, per_page: 100 });
  const outside = files.flatMap((f) => [f.filename, ...(f.previous_filename ? [f.previous_filename] : [])]).filter((p) => !isRegistryDataPath(p));
  if (changedFiles > files.length) outside.push(`${changedFiles - files.length} file(s) GitHub does not list`);
  return outside;
}

export async function reportCheckResult(octokit: Octokit, t: ReportTarget, result: PrCheckResult): Promise<ReportOutcome> {
  const outcome: ReportOutcome = { status: 'reported', labelsAdded: [], labelsRemoved: [], merged: false, deployDispatched: false, notes: [] };
  const { data: pull } = await octokit.rest.pulls.get({ owner: t.owner, repo: t.repo, pull_number: result.number });
  if (pull.head.sha !== result.headSha || result.headSha !== t.runHeadSha) {
    outcome.status = 'stale';
    outcome.notes.push(`result is for ${result.headSha.slice(0, 12)}, the pull request is at ${pull.head.sha.slice(0, 12)}; a newer run reports`);
    return outcome;
  }
  if (pull.state !== 'open') {
    outcome.status = 'closed';
    outcome.notes.push('the pull request is closed');
    return outcome;
  }

  let labels: ManagedLabel[] = [...result.labels];
  let merge = result.autoMerge && t.allowMerge;
  let shown: PrCheckResult = result;
  // A PR that changes anything but registry data may have changed the check that wrote this result (a PR's
  // workflow files are the ones its pull_request run uses), so the result earns no merge and no `verified`.
  const outside = await outsideRegistryData(octokit, t, result.number, pull.changed_files);
  if (outside.length > 0) {
    merge = false;
    outcome.notes.push(`not trusting the verdict: the pull request changes ${outside.length} file(s) outside registry data, e.g. ${outside[0]}`);
    labels = [...labels.filter((l) => l !== 'needs-review' && l !== 'verified'), 'needs-review'];
    const reason = `it changes ${outside[0]}${outside.length > 1 ? ` and ${outside.length - 1} more` : ''} outside registry data, which can change the check itself: its results are not trusted for merging or the verified label`;
    shown = { ...result, autoMerge: false, labels, reviewReasons: [...result.reviewReasons, reason] };
  } else if (result.autoMerge && !merge) {
    shown = { ...result, autoMerge: false, reviewReasons: [...result.reviewReasons, 'automatic merging is off in this registry'] };
  }
  // The check ran on the base the PR names; only the default branch is what the registry deploys and protects.
  const defaultBranch = pull.base.repo.default_branch;
  if (pull.base.ref !== defaultBranch) {
    merge = false;
    outcome.notes.push(`not merging: the pull request goes into ${pull.base.ref}, not the default branch ${defaultBranch}`);
    labels = [...labels.filter((l) => l !== 'needs-review'), ...(shown.ok ? (['needs-review'] as const) : [])];
    const reason = notDefaultBranchReason(pull.base.ref, defaultBranch);
    shown = {
      ...shown,
      autoMerge: false,
      labels,
      reviewReasons: shown.reviewReasons.includes(reason) ? shown.reviewReasons : [...shown.reviewReasons, reason],
    };
  }
  outcome.comment = await upsertComment(octokit, t, result.number, renderComment(shown, { docsBase: t.docsBase }));
  const current = pull.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? '')));
  const { add, remove } = await syncLabels(octokit, t, result.number, current, labels);
  outcome.labelsAdded = add;
  outcome.labelsRemoved = remove;

  if (merge) {
    try {
      await octokit.rest.pulls.createReview({
        owner: t.owner,
        repo: t.repo,
        pull_number: result.number,
        commit_id: result.headSha,
        event: 'APPROVE',
        body: 'All registry checks passed for the namespace owner.',
      });
      // `sha` makes GitHub refuse the merge if anything was pushed after the checked commit.
      await octokit.rest.pulls.merge({ owner: t.owner, repo: t.repo, pull_number: result.number, sha: result.headSha, merge_method: 'squash' });
      outcome.merged = true;
    } catch (error) {
      if (!isStatus(error, 403, 405, 409, 422)) throw error;
      outcome.notes.push(`not merged: ${(error as Error).message}`);
    }
  }
  if (outcome.merged && t.deployWorkflow) {
    try {
      await octokit.rest.actions.createWorkflowDispatch({ owner: t.owner, repo: t.repo, workflow_id: t.deployWorkflow, ref: defaultBranch });
      outcome.deployDispatched = true;
    } catch (error) {
      if (!isStatus(error, 403, 404, 422)) throw error;
      outcome.notes.push(`merged, but the deploy was not started: ${(error as Error).message}`);
    }
  }
  return outcome;
}
