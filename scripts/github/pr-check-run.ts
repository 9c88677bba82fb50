/** The unprivileged half of the PR check: git diff → classify → validate, verify, status files → verdict. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILE } from '../config/registry-config.ts';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { fileReport } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { statusSignatureReplay } from '../lifecycle/signature-replay.ts';
import { parseStatusFile } from '../lifecycle/status-file.ts';
import { publishedVersions } from '../lifecycle/status-store.ts';
import { parseRawDiff } from './changed-files.ts';
import { classifyChanges, type ClassifiedFile } from './classify-changes.ts';
import { diffRaw, exportTree, git, listTree, revision, showFile } from './git.ts';
import { decidePr, needsStatusSignature, type CheckReports, type PrCheckResult } from './pr-decision.ts';
import type { PullRequestEvent } from './pr-event.ts';
import type { CliRunner } from './run-checks.ts';
import { readSignature } from '../verify/verify-tree.ts';

export interface PrCheckRunOptions {
  /** Working tree of the PR head, with the base commit in its history. */
  repo: string;
  base: string;
  head: string;
  event: PullRequestEvent;
  maintainers: readonly string[];
  verify: boolean;
  /** `--endpoint TYPE=URL` values passed on to verify. */
  endpoints: readonly string[];
  maxFiles: number;
  runCli: CliRunner;
}

function checkError(message: string): Diagnostic {
  return { code: 'pr/check-error', severity: 'error', message: `${message}. A maintainer re-runs the check once the cause is fixed.`, pointer: '', line: 0, column: 0 };
}

/** The status file's shape against the published versions, and that a changed signature is newer than the base's. */
async function checkStatusFile(o: PrCheckRunOptions, tree: string, path: string, serverName: string): Promise<FileReport> {
  let text: string;
  try {
    text = await readFile(join(tree, path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw environmentError(`cannot read ${path}: ${(error as Error).message}`, error);
    return fileReport(path, [{ code: 'lifecycle/signature-without-status', severity: 'error', message: `${path}.sig signs a status file that does not exist. Write the change with \`mcp-registry deprecate|delete|restore\`, then sign it.`, pointer: '', line: 0, column: 0 }]);
  }
  const versions = await publishedVersions(tree, serverName);
  const diagnostics = [...parseStatusFile(text, versions).diagnostics];
  const replay = statusSignatureReplay(path, await showFile(o.repo, o.base, `${path}.sig`), (await readSignature(join(tree, `${path}.sig`))).text);
  if (replay) diagnostics.push(replay);
  return fileReport(path, diagnostics);
}

/**
 * The tree the checks read: the PR head's committed servers/ and registry/, and the BASE branch's
 * registry.config.yaml, so a PR cannot loosen the policy or point verify at its own endpoints, nor plant
 * caches or other untracked files for the checks to trust.
 */
async function checkTree(o: PrCheckRunOptions, head: string): Promise<string> {
  const tree = await mkdtemp(join(tmpdir(), 'mcp-registry-pr-'));
  await exportTree(o.repo, head, ['servers', 'registry'], tree);
  const config = await showFile(o.repo, o.base, CONFIG_FILE);
  if (config !== undefined) await writeFile(join(tree, CONFIG_FILE), config);
  return tree;
}

export async function runPrCheck(o: PrCheckRunOptions): Promise<PrCheckResult> {
  const checkedOut = (await git(o.repo, ['rev-parse', 'HEAD'])).trim();
  const head = (await git(o.repo, ['rev-parse', '--verify', '--end-of-options', `${revision(o.head)}^{commit}`])).trim();
  if (checkedOut !== head) throw environmentError(`${o.repo} has ${checkedOut} checked out, not the PR head ${head}`);
  const parsed = parseRawDiff(await diffRaw(o.repo, o.base, head, true));
  if (!parsed.ok) throw environmentError(parsed.message);
  const published = new Set((await listTree(o.repo, o.base, 'servers')).map((p) => p.split('/').slice(1, 3).join('/').toLowerCase()));
  const changes = classifyChanges(parsed.files, { publishedServers: published, maxFiles: o.maxFiles });

  const serverPaths = [...new Set(changes.files.filter((f) => f.checkContent && f.kind !== 'lifecycle').map((f) => f.checkPath ?? f.path))].sort();
  const lifecycleFiles = new Map(changes.files.filter((f) => f.checkContent && f.kind === 'lifecycle').map((f) => [f.checkPath ?? f.path, f]));
  const statusPaths = [...lifecycleFiles].filter(([, f]) => needsStatusSignature(f)).map(([path]) => path).sort();
  const reports: CheckReports = { lifecycle: [] };
  const extra: Diagnostic[] = [];
  const tree = await checkTree(o, head);
  try {
    if (serverPaths.length > 0) {
      const validated = await o.runCli(['validate', '--format', 'json', '--', ...serverPaths], tree);
      if (validated.ok) reports.validate = validated.report;
      else extra.push(checkError(validated.message));
    }
    if (o.verify && serverPaths.length + statusPaths.length > 0) {
      const endpointArgs = o.endpoints.flatMap((e) => ['--endpoint', e]);
      const verified = await o.runCli(['verify', '--format', 'json', '--author', o.event.author, ...endpointArgs, '--', ...serverPaths, ...statusPaths], tree);
      if (verified.ok) reports.verify = verified.report;
      else extra.push(checkError(verified.message));
    }
    for (const [path, f] of [...lifecycleFiles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      reports.lifecycle.push(await checkStatusFile(o, tree, path, f.serverName!));
    }
  } finally {
    await rm(tree, { recursive: true, force: true });
  }

  return decidePr({ files: changes.files, diagnostics: [...changes.diagnostics, ...extra] }, reports, {
    number: o.event.number,
    headSha: head,
    author: o.event.author,
    authorAssociation: o.event.authorAssociation,
    maintainers: o.maintainers,
    verifyRan: o.verify,
  });
}
