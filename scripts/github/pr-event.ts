/** The fields of a `pull_request` webhook payload the check needs, read through a guard. Pure. */
import { isRecord } from '../core/is-record.ts';
import { err, type Result } from '../core/result.ts';

export interface PullRequestEvent {
  number: number;
  headSha: string;
  baseSha: string;
  headRef: string;
  /** The branch the PR goes into. */
  baseRef: string;
  /** The repository's default branch; undefined when the payload does not say. */
  defaultBranch?: string;
  author: string;
  /** GitHub's immutable id of the author's account (`pull_request.user.id`); a login can change, this cannot. */
  authorId?: number;
  authorAssociation: string;
  /** The head branch lives in another repository (or a deleted one). */
  isFork: boolean;
  labels: string[];
  /** This event is a maintainer adding the safe-to-verify label (not a later push). */
  labeledSafeToVerify: boolean;
  /** `owner/name` of the registry repository. */
  repository: string;
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function readPullRequestEvent(payload: unknown): Result<PullRequestEvent> {
  const pr = rec(rec(payload)?.pull_request);
  if (!pr) return err('the event has no pull_request; this command runs on pull_request events');
  const head = rec(pr.head);
  const base = rec(pr.base);
  const number = pr.number;
  const headSha = str(head?.sha);
  const baseSha = str(base?.sha);
  const author = str(rec(pr.user)?.login);
  const repository = str(rec(base?.repo)?.full_name) ?? str(rec(rec(payload)?.repository)?.full_name);
  if (!Number.isSafeInteger(number) || !headSha || !baseSha || !author || !repository) {
    return err('the pull_request event lacks number, head.sha, base.sha, user.login or the repository name');
  }
  const headRepo = str(rec(head?.repo)?.full_name);
  const defaultBranch = str(rec(base?.repo)?.default_branch) ?? str(rec(rec(payload)?.repository)?.default_branch);
  const authorId = rec(pr.user)?.id;
  const labels = Array.isArray(pr.labels) ? pr.labels.map((l) => str(rec(l)?.name)).filter((l): l is string => l !== undefined) : [];
  return {
    ok: true,
    value: {
      number: number as number,
      headSha,
      baseSha,
      headRef: str(head?.ref) ?? '',
      baseRef: str(base?.ref) ?? '',
      ...(defaultBranch !== undefined ? { defaultBranch } : {}),
      author,
      ...(Number.isSafeInteger(authorId) ? { authorId: authorId as number } : {}),
      authorAssociation: str(pr.author_association) ?? 'NONE',
      isFork: headRepo === undefined || headRepo.toLowerCase() !== repository.toLowerCase(),
      labels,
      labeledSafeToVerify: rec(payload)?.action === 'labeled' && str(rec(rec(payload)?.label)?.name) === SAFE_TO_VERIFY_LABEL,
      repository,
    },
  };
}

/** The label a maintainer adds to let network checks run on a fork's PR. */
export const SAFE_TO_VERIFY_LABEL = 'safe-to-verify';

/**
 * A fork's PR reaches the network only in the run started by a maintainer adding the label: a push after the
 * label was added is new, unreviewed content and waits for the label to be added again.
 */
export function mayVerify(event: PullRequestEvent): boolean {
  return !event.isFork || event.labeledSafeToVerify;
}
