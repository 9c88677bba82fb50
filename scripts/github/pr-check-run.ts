/** The unprivileged half of the PR check: git diff → classify → validate, verify, status files → verdict. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { fileReport } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { parseStatusFile } from '../lifecycle/status-file.ts';
import { publishedVersions } from '../lifecycle/status-store.ts';
import { parseRawDiff } from './changed-files.ts';
import { classifyChanges, type ClassifiedFile } from './classify-changes.ts';
import { diffRaw, git, listTree, revision } from './git.ts';
import { decidePr, type CheckReports, type PrCheckResult } from './pr-decision.ts';
import type { PullRequestEvent } from './pr-event.ts';
import type { CliRunner } from './run-checks.ts';

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

async function checkStatusFile(repo: string, file: ClassifiedFile): Promise<FileReport> {
  const text = await readFile(join(repo, file.path), 'utf8');
  const versions = await publishedVersions(repo, file.serverName!);
  return fileReport(file.path, parseStatusFile(text, versions).diagnostics);
}

export async function runPrCheck(o: PrCheckRunOptions): Promise<PrCheckResult> {
  const checkedOut = (await git(o.repo, ['rev-parse', 'HEAD'])).trim();
  const head = (await git(o.repo, ['rev-parse', '--verify', '--end-of-options', `${revision(o.head)}^{commit}`])).trim();
  if (checkedOut !== head) throw environmentError(`${o.repo} has ${checkedOut} checked out, not the PR head ${head}`);
  const parsed = parseRawDiff(await diffRaw(o.repo, o.base, head, true));
  if (!parsed.ok) throw environmentError(parsed.message);
  const published = new Set((await listTree(o.repo, o.base, 'servers')).map((p) => p.split('/').slice(1, 3).join('/').toLowerCase()));
  const changes = classifyChanges(parsed.files, { publishedServers: published, maxFiles: o.maxFiles });

  const serverPaths = changes.files.filter((f) => f.checkContent && f.kind !== 'lifecycle').map((f) => f.path);
  const reports: CheckReports = { lifecycle: [] };
  const extra: Diagnostic[] = [];
  if (serverPaths.length > 0) {
    const validated = await o.runCli(['validate', '--format', 'json', '--', ...serverPaths], o.repo);
    if (validated.ok) reports.validate = validated.report;
    else extra.push(checkError(validated.message));
    if (o.verify) {
      const endpointArgs = o.endpoints.flatMap((e) => ['--endpoint', e]);
      const verified = await o.runCli(['verify', '--format', 'json', '--author', o.event.author, ...endpointArgs, '--', ...serverPaths], o.repo);
      if (verified.ok) reports.verify = verified.report;
      else extra.push(checkError(verified.message));
    }
  }
  for (const f of changes.files) if (f.checkContent && f.kind === 'lifecycle') reports.lifecycle.push(await checkStatusFile(o.repo, f));

  return decidePr({ files: changes.files, diagnostics: [...changes.diagnostics, ...extra] }, reports, {
    number: o.event.number,
    headSha: head,
    author: o.event.author,
    authorAssociation: o.event.authorAssociation,
    maintainers: o.maintainers,
    verifyRan: o.verify,
  });
}
