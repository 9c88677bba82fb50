/** The unprivileged half of the PR check: git diff → classify → validate, verify, status files → verdict. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRegistryConfig } from '../config/registry-config.ts';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { diagnostic, fileReport } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { moderationChanges } from '../lifecycle/moderation.ts';
import type { Approver } from '../lifecycle/transfer.ts';
import { statusSignatureProblems } from '../lifecycle/signature-replay.ts';
import { parseStatusFile } from '../state/status-file.ts';
import { publishedVersions } from '../lifecycle/status-store.ts';
import { parseRawDiff } from './changed-files.ts';
import { classifyChanges, parseStatusPath, type ClassifiedFile } from './classify-changes.ts';
import { prepareCheckTree } from './check-tree.ts';
import { diffRaw, git, listTree, revision, showBytes, showFile } from './git.ts';
import type { MaintainerCheck } from './maintainers.ts';
import { decidePr, needsStatusSignature, type CheckReports, type ModerationReport, type PrCheckResult } from './pr-decision.ts';
import { ownerReviews, type AccountLookup } from './owner-review.ts';
import { handoverReviews } from './rename-handover.ts';
import { renameReviews } from './rename-run.ts';
import { approvalReviewOf } from './approval-review.ts';
import { inspectAddedVersions, type PrInspection, type PrInspectOptions } from './pr-inspection.ts';
import type { PullRequestEvent } from './pr-event.ts';
import type { CliRunner } from './run-checks.ts';
import { readSignature } from '../verify/verify-tree.ts';

export interface PrCheckRunOptions {
  /** Working tree of the PR head, with the base commit in its history. */
  repo: string;
  base: string;
  head: string;
  event: PullRequestEvent;
  /**
   * Whether the PR's author is a maintainer (see maintainers.ts). Asked only when the PR would not be merged
   * otherwise: a maintainer can only gain rights, so a team lookup that fails cannot block an owner's own PR.
   */
  maintainer: () => Promise<MaintainerCheck>;
  verify: boolean;
  /** `--endpoint TYPE=URL` values passed on to verify. */
  endpoints: readonly string[];
  maxFiles: number;
  runCli: CliRunner;
  /** The clock status signatures are judged by (default: now). */
  now?: Date;
  /**
   * Reviewers (login and account id) whose approval covers the head commit, for a transfer's consent (transfer.ts). Absent:
   * the check does not know the approvals, explains the consent a transfer needs and leaves it to a maintainer.
   */
  approvals?: (headSha: string) => Promise<readonly Approver[]>;
  /**
   * What GitHub answers for a login (owner-review.ts): an organisation's account id, which the event does not
   * carry. Absent: only the PR author's own login is known by id.
   */
  accountLookup?: AccountLookup;
  /** The inspection of the versions the PR adds (pr-inspection.ts); it runs only when verify does. */
  inspect?: PrInspectOptions;
}

function checkError(message: string): Diagnostic {
  return diagnostic('pr/check-error', `${message}. A maintainer re-runs the check once the cause is fixed.`);
}

/** The status file's shape against the published versions, and that a changed signature belongs to this change. */
async function checkStatusFile(o: PrCheckRunOptions, tree: string, path: string, file: ClassifiedFile): Promise<FileReport> {
  const serverName = file.serverName;
  // Classification names the server of every status file and its signature.
  if (serverName === undefined) return fileReport(path, [checkError(`${path} was classified as a lifecycle change without a server name`)]);
  let text: string;
  try {
    text = await readFile(join(tree, path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw environmentError(`cannot read ${path}: ${(error as Error).message}`, error);
    return fileReport(path, [
      diagnostic(
        'lifecycle/signature-without-status',
        `${path}.sig signs a status file that does not exist. Write the change with \`mcp-registry deprecate|delete|restore\`, then sign it.`,
      ),
    ]);
  }
  const versions = await publishedVersions(tree, serverName);
  const diagnostics = [...parseStatusFile(text, versions).diagnostics];
  if (needsStatusSignature(file)) {
    diagnostics.push(
      ...statusSignatureProblems({
        statusPath: path,
        baseSignature: await showFile(o.repo, o.base, `${path}.sig`),
        headSignature: (await readSignature(join(tree, `${path}.sig`))).text,
        baseStatus: await showBytes(o.repo, o.base, path),
        now: o.now ?? new Date(),
      }),
    );
  }
  return fileReport(path, diagnostics);
}

/** A maintainer's decisions that the PR's version of a status file changes, removes or claims. */
async function moderationOf(o: PrCheckRunOptions, head: string, path: string): Promise<ModerationReport | undefined> {
  const baseText = await showFile(o.repo, o.base, path);
  const headText = await showFile(o.repo, head, path);
  const base = baseText === undefined ? undefined : parseStatusFile(baseText).value;
  const changes =
    baseText !== undefined && base === undefined
      ? { overridden: [`every entry (the base branch's ${path} does not parse)`], claimed: [] }
      : moderationChanges(base, headText === undefined ? undefined : parseStatusFile(headText).value);
  return changes.overridden.length + changes.claimed.length > 0 ? { path, ...changes } : undefined;
}

export async function runPrCheck(o: PrCheckRunOptions): Promise<PrCheckResult> {
  const checkedOut = (await git(o.repo, ['rev-parse', 'HEAD'])).trim();
  const head = (await git(o.repo, ['rev-parse', '--verify', '--end-of-options', `${revision(o.head)}^{commit}`])).trim();
  if (checkedOut !== head) throw environmentError(`${o.repo} has ${checkedOut} checked out, not the PR head ${head}`);
  const parsed = parseRawDiff(await diffRaw(o.repo, o.base, head, true));
  if (!parsed.ok) throw environmentError(parsed.error);
  const published = new Set((await listTree(o.repo, o.base, 'servers')).map((p) => p.split('/').slice(1, 3).join('/').toLowerCase()));
  const changes = classifyChanges(parsed.value, { publishedServers: published, maxFiles: o.maxFiles });

  const serverPaths = [...new Set(changes.files.filter((f) => f.checkContent && f.kind !== 'lifecycle').map((f) => f.checkPath ?? f.path))].sort();
  const lifecycleFiles = new Map(changes.files.filter((f) => f.checkContent && f.kind === 'lifecycle').map((f) => [f.checkPath ?? f.path, f]));
  const statusPaths = [...lifecycleFiles]
    .filter(([, f]) => needsStatusSignature(f))
    .map(([path]) => path)
    .sort();
  const reports: CheckReports = { lifecycle: [] };
  const extra: Diagnostic[] = [];
  const added = changes.files
    .filter((f) => f.checkContent && (f.kind === 'new-server' || f.kind === 'new-version'))
    .map((f) => ({ path: f.checkPath ?? f.path }))
    .filter((f) => f.path.endsWith('.json'));
  let inspection: PrInspection | undefined;
  // Only the servers the PR touches are written out; the rest reaches the registry-wide rules as an index (check-tree.ts).
  const renamedFrom = parsed.value.flatMap((f) => (f.oldPath === undefined ? [] : [f.oldPath]));
  const checkTree = await prepareCheckTree(o.repo, o.base, head, changes.files, renamedFrom);
  const tree = checkTree.dir;
  const indexArgs = ['--registry-index', checkTree.index];
  try {
    if (serverPaths.length > 0) {
      const validated = await o.runCli(['validate', '--format', 'json', ...indexArgs, '--', ...serverPaths], tree);
      if (validated.ok) reports.validate = validated.value;
      else extra.push(checkError(validated.error));
    }
    if (o.verify && serverPaths.length + statusPaths.length > 0) {
      const endpointArgs = o.endpoints.flatMap((e) => ['--endpoint', e]);
      const verified = await o.runCli(
        ['verify', '--format', 'json', '--author', o.event.author, ...endpointArgs, ...indexArgs, '--', ...serverPaths, ...statusPaths],
        tree,
      );
      if (verified.ok) reports.verify = verified.value;
      else extra.push(checkError(verified.error));
    }
    if (added.length > 0 && !o.verify) {
      inspection = { status: 'skipped', note: 'the network checks did not run for this pull request', versions: [] };
    } else if (added.length > 0) {
      inspection = await loadRegistryConfig(tree).then(
        (config) => inspectAddedVersions(tree, config, added, reports.validate, o.inspect),
        (error: Error) => ({ status: 'skipped' as const, note: `the registry configuration did not load: ${error.message}`.slice(0, 500), versions: [] }),
      );
    }
    for (const [path, f] of [...lifecycleFiles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      reports.lifecycle.push(await checkStatusFile(o, tree, path, f));
    }
    const isMaintainer = async () => (await o.maintainer()).maintainer;
    const renames = await renameReviews(o.repo, o.base, head, changes.files, o.event.author, o.approvals, isMaintainer, o.event.authorId, o.accountLookup);
    // A remote URL hand-over reads like a rename: its verdict sits on the status file that releases the URL.
    const handovers = await handoverReviews(o.repo, o.base, head, changes.files, o.event.author, o.verify ? { tree, endpoints: o.endpoints } : undefined);
    if (renames.length + handovers.length > 0) reports.renames = [...renames, ...handovers];
    const owners = await ownerReviews(o.repo, o.base, head, changes.files, o.event.author, o.event.authorId, o.accountLookup);
    if (owners.length > 0) reports.owners = owners;
    const approval = await approvalReviewOf(o.repo, o.base, head, changes.files, o.event.author);
    if (approval) reports.approval = approval;
    for (const f of changes.files.filter((c) => parseStatusPath(c.path) !== undefined)) {
      const m = await moderationOf(o, head, f.path);
      if (m) {
        reports.moderation ??= [];
        reports.moderation.push(m);
      }
    }
  } finally {
    await checkTree.remove();
  }

  const decide = (maintainer: MaintainerCheck): PrCheckResult => ({
    ...decidePr({ files: changes.files, diagnostics: [...changes.diagnostics, ...extra] }, reports, {
      number: o.event.number,
      headSha: head,
      author: o.event.author,
      maintainer,
      baseRef: o.event.baseRef,
      defaultBranch: o.event.defaultBranch,
      verifyRan: o.verify,
    }),
    ...(inspection ? { inspection } : {}),
  });
  const asAuthor = decide({ maintainer: false });
  return asAuthor.autoMerge ? asAuthor : decide(await o.maintainer());
}
