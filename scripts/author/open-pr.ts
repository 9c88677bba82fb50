/**
 * Opens (or updates) the registry pull request for a planned publication through the GitHub REST API:
 * branch on the registry itself when the token may push, otherwise on the token owner's fork.
 */
import type { Octokit } from '@octokit/rest';
import { GitHubApiError, isStatus } from '../net/github-client.ts';
import { accountTypeOf, ownerPath, serializeOwnerFile } from '../state/owner-file.ts';
import type { PublishPlan } from './publish-plan.ts';

export interface PublishTarget {
  /** `owner/name` of the registry repository (a fork or subregistry works the same). */
  registry: string;
  /** Default: the registry's default branch. */
  baseBranch?: string;
  /** Fork creation is asynchronous on GitHub; how long to wait for the fork's branch to appear. */
  forkWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type PublishOutcome =
  | { status: 'created' | 'updated'; url: string; number: number; branch: string; headRepository: string }
  | { status: 'already-published'; path: string }
  | { status: 'refused'; code: string; message: string };

function splitRepo(full: string): { owner: string; repo: string } {
  const [, owner, repo] = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(full) ?? [];
  if (owner === undefined || repo === undefined) throw new GitHubApiError(`registry must be OWNER/NAME, got ${JSON.stringify(full)}`, 0, full, undefined);
  return { owner, repo };
}

async function fileAt(octokit: Octokit, owner: string, repo: string, path: string, ref: string): Promise<{ sha: string; text: string } | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    return { sha: data.sha, text: Buffer.from(data.content, 'base64').toString('utf8') };
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
}

async function branchSha(octokit: Octokit, owner: string, repo: string, branch: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (isStatus(error, 404, 409)) return undefined;
    throw error;
  }
}

/**
 * The owner record (state/owner-file.ts) a publication under `io.github.<login>` adds while the registry has
 * none: the token owner's account id for its own login, an organisation's id for the organisation's login; the id
 * a later login rename is proven by.
 */
async function ownerRecordFor(
  octokit: Octokit,
  plan: PublishPlan,
  me: { login?: string; id?: number; type?: string },
  registry: { owner: string; repo: string; base: string },
): Promise<{ path: string; content: string } | undefined> {
  const namespace = /^servers\/io\.github\.([a-z0-9-]+)\//i.exec(plan.path)?.[1]?.toLowerCase();
  if (namespace === undefined || me.login === undefined) return undefined;
  const path = ownerPath(namespace);
  if (await fileAt(octokit, registry.owner, registry.repo, path, registry.base)) return undefined;
  let account: { id?: number; type?: string } = me;
  if (namespace !== me.login.toLowerCase()) {
    // An organisation's namespace: its record names the organisation's own id, which the PR check confirms with GitHub.
    const found = await octokit.rest.users.getByUsername({ username: namespace }).catch((error: { status?: number }) => {
      if (error.status === 404) return undefined;
      throw error;
    });
    if (found?.data.type !== 'Organization') return undefined;
    account = found.data;
  }
  if (typeof account.id !== 'number') return undefined;
  const accountType = accountTypeOf(account.type);
  return { path, content: serializeOwnerFile({ login: namespace, accountId: account.id, ...(accountType === undefined ? {} : { accountType }) }) };
}

export async function openRegistryPr(octokit: Octokit, plan: PublishPlan, target: PublishTarget): Promise<PublishOutcome> {
  const { owner, repo } = splitRepo(target.registry);
  const sleep = target.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // A bad or missing token fails here, before anything is written.
  const { data: me } = await octokit.rest.users.getAuthenticated();
  const { data: registry } = await octokit.rest.repos.get({ owner, repo });
  const base = target.baseBranch || registry.default_branch;
  const baseSha = await branchSha(octokit, owner, repo, base);
  if (!baseSha) return { status: 'refused', code: 'publish/no-base-branch', message: `${owner}/${repo} has no branch ${base}` };

  const published = await fileAt(octokit, owner, repo, plan.path, base);
  if (published) {
    if (published.text === plan.content) return { status: 'already-published', path: plan.path };
    return {
      status: 'refused',
      code: 'publish/already-published',
      message: `${plan.path} is already published with different content; versions are immutable, so release a new version`,
    };
  }

  let head = { owner, repo };
  if (!registry.permissions?.push) {
    const { data: fork } = await octokit.rest.repos.createFork({ owner, repo });
    head = { owner: fork.owner.login, repo: fork.name };
  }
  const headSha = await branchSha(octokit, head.owner, head.repo, plan.branch);
  if (!headSha) {
    const deadline = Date.now() + (target.forkWaitMs ?? 60_000);
    for (;;) {
      try {
        await octokit.rest.git.createRef({ owner: head.owner, repo: head.repo, ref: `refs/heads/${plan.branch}`, sha: baseSha });
        break;
      } catch (error) {
        // A fresh fork answers 404 until GitHub has copied it.
        if (!isStatus(error, 404) || Date.now() > deadline) throw error;
        await sleep(2000);
      }
    }
  }
  const files = [{ path: plan.path, content: plan.content }, ...(plan.signature !== undefined ? [{ path: `${plan.path}.sig`, content: plan.signature }] : [])];
  const ownerFile = await ownerRecordFor(octokit, plan, me, { owner, repo, base });
  if (ownerFile) files.push(ownerFile);
  for (const file of files) {
    const existing = await fileAt(octokit, head.owner, head.repo, file.path, plan.branch);
    if (existing?.text === file.content) continue;
    await octokit.rest.repos.createOrUpdateFileContents({
      owner: head.owner,
      repo: head.repo,
      path: file.path,
      branch: plan.branch,
      message: file.path === plan.path ? plan.title : file === ownerFile ? `Record the GitHub account behind ${file.path}` : `Sign ${plan.path}`,
      content: Buffer.from(file.content, 'utf8').toString('base64'),
      ...(existing ? { sha: existing.sha } : {}),
    });
  }
  const headLabel = `${head.owner}:${plan.branch}`;
  const { data: open } = await octokit.rest.pulls.list({ owner, repo, state: 'open', head: headLabel, per_page: 10 });
  const current = open[0];
  if (current) {
    await octokit.rest.pulls.update({ owner, repo, pull_number: current.number, title: plan.title, body: plan.body });
    return { status: 'updated', url: current.html_url, number: current.number, branch: plan.branch, headRepository: `${head.owner}/${head.repo}` };
  }
  const { data: pr } = await octokit.rest.pulls.create({
    owner,
    repo,
    base,
    head: head.owner === owner ? plan.branch : headLabel,
    title: plan.title,
    body: plan.body,
    maintainer_can_modify: true,
  });
  return { status: 'created', url: pr.html_url, number: pr.number, branch: plan.branch, headRepository: `${head.owner}/${head.repo}` };
}
