/**
 * The PR check's verdict, from what changed and what validate/verify reported. Pure. Decides per file what
 * passed, which labels apply, and whether the bot may merge or a human must look.
 */
import type { Diagnostic, FileReport, Report } from '../core/diagnostics.ts';
import { diagnostic, hasErrors, warning } from '../core/diagnostics.ts';
import { classifyNamespace } from '../verify/namespace.ts';
import { githubNamespaceOwner, type ChangeKind, type ChangeSet, type ClassifiedFile } from './classify-changes.ts';
import type { MaintainerCheck } from './maintainers.ts';
import { isNewOwnerRecord, type OwnerReview } from './owner-review.ts';
import type { RenameReview } from './rename-review.ts';
import type { ApprovalReview } from './approval-review.ts';
import type { PrInspection } from './pr-inspection.ts';

export type CheckState = 'passed' | 'failed' | 'skipped' | 'pending';
export const CHECK_NAMES = ['immutability', 'validate', 'verify', 'ownership'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export const MANAGED_LABELS = ['new-server', 'new-version', 'needs-review', 'verified', 'invalid'] as const;
export type ManagedLabel = (typeof MANAGED_LABELS)[number];

export interface PrFileResult {
  path: string;
  kind: ChangeKind;
  serverName?: string;
  checks: Record<CheckName, CheckState>;
  diagnostics: Diagnostic[];
}

export interface PrCheckResult {
  schemaVersion: 1;
  number: number;
  headSha: string;
  ok: boolean;
  files: PrFileResult[];
  /** About the PR as a whole (too many files, a check that could not run). */
  diagnostics: Diagnostic[];
  labels: ManagedLabel[];
  autoMerge: boolean;
  /** Why a human must look; empty when the bot may merge. */
  reviewReasons: string[];
  /** What the remotes of the added versions offered (pr-inspection.ts); informational, never part of the verdict. */
  inspection?: PrInspection;
}

export interface PrContext {
  number: number;
  headSha: string;
  author: string;
  /** Whether the author is one of the maintainers registry.config.yaml names (see maintainers.ts). */
  maintainer: MaintainerCheck;
  /** The branch the PR goes into, and the repository's default branch (undefined: unknown). */
  baseRef: string;
  defaultBranch: string | undefined;
  /** False on a fork's PR until a maintainer adds the label that allows network checks. */
  verifyRan: boolean;
}

/** A status file whose change touches a maintainer's decision (see lifecycle/moderation.ts). */
export interface ModerationReport {
  path: string;
  overridden: string[];
  claimed: string[];
}

export interface CheckReports {
  validate?: Report;
  /** Version files, and the status files of domain namespaces (their `.yaml.sig` proves the owner). */
  verify?: Report;
  /** Lifecycle status files, checked in-process. */
  lifecycle: FileReport[];
  /** Status files whose change touches a maintainer's decision; only those. */
  moderation?: ModerationReport[];
  /** Rename records the PR adds or changes (rename-review.ts). */
  renames?: RenameReview[];
  /** The approved list's change, when the PR touches registry/approved.yaml (approval-review.ts). */
  approval?: ApprovalReview;
  /** Owner records the PR adds (owner-review.ts). */
  owners?: OwnerReview[];
}

export function isMaintainer(ctx: Pick<PrContext, 'maintainer'>): boolean {
  return ctx.maintainer.maintainer;
}

function moderationWarnings(m: ModerationReport, author: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (m.overridden.length > 0) {
    out.push(
      warning(
        'lifecycle/maintainer-decision',
        `${m.overridden.join(', ')} of this server hold a maintainer's decision (statusChangedBy: maintainer), which ${author} is not allowed to change; a maintainer reviews it. To contest a takedown, open an appeal issue.`,
      ),
    );
  }
  if (m.claimed.length > 0) {
    out.push(
      warning(
        'lifecycle/maintainer-claim',
        `the change records ${m.claimed.join(', ')} as a maintainer's decision (statusChangedBy: maintainer), but ${author} is not a maintainer; write it without --maintainer.`,
      ),
    );
  }
  return out;
}

/** Only the default branch is deployed and protected, so the bot merges into nothing else. */
export function notDefaultBranchReason(baseRef: string, defaultBranch: string): string {
  return `it goes into ${baseRef || 'an unnamed branch'}, not the default branch ${defaultBranch}; the bot merges only into the default branch`;
}

function stateOf(report: FileReport | undefined): CheckState {
  if (!report) return 'failed';
  return report.ok ? 'passed' : 'failed';
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.pointer === b.pointer && a.message === b.message && a.severity === b.severity;
}

function missing(path: string, check: string): Diagnostic {
  return diagnostic('pr/check-missing', `${check} reported nothing for ${path}; re-run the check or ask a maintainer.`);
}

function ownership(file: ClassifiedFile, verify: CheckState, ctx: PrContext): CheckState {
  if (isMaintainer(ctx)) return 'passed';
  const owner = file.namespace ? githubNamespaceOwner(file.namespace) : undefined;
  if (owner !== undefined) return owner === ctx.author.toLowerCase() ? 'passed' : 'pending';
  // Domain namespaces: what verify proved — the version file's signature, or the status file's `.yaml.sig`.
  return verify === 'passed' ? 'passed' : 'pending';
}

/** A status file whose owner only a signature can prove: the namespace is a domain. */
export function needsStatusSignature(file: Pick<ClassifiedFile, 'kind' | 'serverName'>): boolean {
  return file.kind === 'lifecycle' && file.serverName !== undefined && classifyNamespace(file.serverName).kind === 'domain';
}

/** A status file's signature is a proof of ownership, not a rule: when it is missing or wrong, a human decides. */
function asWarnings(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' as const } : d));
}

function statusFileOf(path: string): string {
  return path.endsWith('.sig') ? path.slice(0, -'.sig'.length) : path;
}

function byPath(report: Report | undefined): Map<string, FileReport> {
  return new Map((report?.files ?? []).map((f) => [f.path, f]));
}

export function decidePr(changes: ChangeSet, reports: CheckReports, ctx: PrContext): PrCheckResult {
  const validated = byPath(reports.validate);
  const verified = byPath(reports.verify);
  const lifecycle = new Map(reports.lifecycle.map((f) => [f.path, f]));
  const files: PrFileResult[] = changes.files.map((file) => {
    const diagnostics = [...file.diagnostics];
    const immutability: CheckState = hasErrors(file.diagnostics) ? 'failed' : 'passed';
    let validate: CheckState = 'skipped';
    let verify: CheckState = 'skipped';
    if (file.checkContent && file.kind === 'lifecycle') {
      // A status signature is judged with its status file; shown once, on the status file when both changed.
      const target = file.checkPath ?? file.path;
      const echo = file.checkPath !== undefined && changes.files.some((f) => f.path === file.checkPath);
      const r = lifecycle.get(target);
      validate = stateOf(r);
      if (!echo) diagnostics.push(...(r?.diagnostics ?? [missing(target, 'the status file check')]));
      if (needsStatusSignature(file)) {
        const proof = verified.get(target);
        if (!ctx.verifyRan) verify = 'pending';
        else if (proof) {
          verify = stateOf(proof);
          if (!echo) diagnostics.push(...asWarnings(proof.diagnostics));
        }
      }
    } else if (file.checkContent) {
      // A signature is judged by its version file's results; shown once, on the version file when both changed.
      const target = file.checkPath ?? file.path;
      const echo = file.checkPath !== undefined && changes.files.some((f) => f.path === file.checkPath);
      const v = validated.get(target);
      validate = stateOf(v);
      if (!echo) diagnostics.push(...(v?.diagnostics ?? [missing(target, 'validate')]));
      if (!ctx.verifyRan) verify = 'pending';
      else {
        const r = verified.get(target);
        // verify validates first and repeats validate's findings: list each once.
        const own = r ? r.diagnostics.filter((d) => !v?.diagnostics.some((w) => sameDiagnostic(d, w))) : undefined;
        verify = stateOf(r);
        if (!echo) diagnostics.push(...(own ?? [missing(target, 'verify')]));
      }
    }
    const moderated = isMaintainer(ctx) ? undefined : reports.moderation?.find((m) => m.path === file.path);
    if (moderated) diagnostics.push(...moderationWarnings(moderated, ctx.author));
    const rename = reports.renames?.find((r) => r.path === file.path);
    if (rename) diagnostics.push(...rename.diagnostics);
    const record = reports.owners?.find((r) => r.path === file.path);
    if (!isNewOwnerRecord(file) && record) diagnostics.push(...record.diagnostics);
    if (isNewOwnerRecord(file)) {
      // Proven by the event's login and account id alone, so the record needs no other ownership check.
      diagnostics.push(...(record?.diagnostics ?? [missing(file.path, 'the owner record review')]));
      validate = record && !hasErrors(record.diagnostics) ? 'passed' : 'failed';
    }
    if (file.kind === 'approval') {
      const approval = reports.approval;
      diagnostics.push(...(approval?.diagnostics ?? [missing(file.path, 'the approval review')]));
      validate = approval && !hasErrors(approval.diagnostics) ? 'passed' : 'failed';
    }
    // A rename record's proofs of ownership are the rename review's (its explanation goes to the reviewer).
    const owner =
      file.kind === 'other' || file.kind === 'rename' || file.kind === 'approval' || file.kind === 'owner' ? 'skipped' : ownership(file, verify, ctx);
    return {
      path: file.path,
      kind: file.kind,
      ...(file.serverName !== undefined ? { serverName: file.serverName } : {}),
      checks: { immutability, validate, verify, ownership: owner },
      diagnostics,
    };
  });

  const ok = !hasErrors(changes.diagnostics) && files.every((f) => !hasErrors(f.diagnostics));
  const reviewReasons: string[] = [];
  if (ctx.defaultBranch === undefined)
    reviewReasons.push(
      `the event does not say which branch is the default, so the bot cannot tell whether ${ctx.baseRef || 'the base'} is; it merges only into the default branch`,
    );
  else if (ctx.baseRef !== ctx.defaultBranch) reviewReasons.push(notDefaultBranchReason(ctx.baseRef, ctx.defaultBranch));
  if (!ctx.maintainer.maintainer && ctx.maintainer.unverified !== undefined) {
    reviewReasons.push(`the check could not ask GitHub whether ${ctx.author} is a maintainer (${ctx.maintainer.unverified}); a maintainer decides`);
  }
  if (files.length === 0 && ok) reviewReasons.push('the pull request changes no files');
  if (files.some((f) => f.kind === 'other')) reviewReasons.push('it changes files outside servers/ and registry/status/');
  for (const r of reports.renames ?? []) reviewReasons.push(r.explanation);
  if (files.some((f) => f.kind === 'approval')) {
    const what = reports.approval?.changes.length ? ` (${reports.approval.changes.join('; ')})` : '';
    reviewReasons.push(
      isMaintainer(ctx)
        ? `it changes the approved list registry/approved.yaml${what}; approvals are merged by a maintainer, never by the bot`
        : `it changes the approved list registry/approved.yaml${what}, which only a maintainer may change, and ${ctx.author} is not one`,
    );
  }
  if (files.some((f) => f.checks.verify === 'pending'))
    reviewReasons.push('verification waits for a maintainer to add the `safe-to-verify` label (fork pull request)');
  const unproven = files.filter((f) => f.checks.ownership === 'pending');
  const unsigned = unproven.filter((f) => needsStatusSignature(f) && f.checks.verify !== 'pending');
  if (unproven.length > unsigned.length) reviewReasons.push(`it touches a namespace that ${ctx.author} is not the verified owner of`);
  for (const path of [...new Set(unsigned.map((f) => statusFileOf(f.path)))]) {
    const proof = verified.get(path);
    const why = proof?.diagnostics.find((d) => d.severity === 'error');
    reviewReasons.push(
      why
        ? `the status change ${path} is not proven by its domain's key (${why.code}); sign it with \`mcp-registry sign ${path}\` and the key the domain publishes`
        : `the status change ${path} carries no verified signature from its domain's key; sign it with \`mcp-registry sign ${path}\``,
    );
  }
  if (!isMaintainer(ctx)) {
    for (const m of reports.moderation ?? []) {
      if (m.overridden.length > 0)
        reviewReasons.push(`it changes a maintainer's decision in ${m.path} (${m.overridden.join(', ')}), which only a maintainer may change`);
      if (m.claimed.length > 0)
        reviewReasons.push(`${m.path} records ${m.claimed.join(', ')} as a maintainer's decision, but ${ctx.author} is not a maintainer`);
    }
  }
  const autoMerge = ok && reviewReasons.length === 0;

  const serverFiles = files.filter((f) => f.kind === 'new-server' || f.kind === 'new-version');
  const labels: ManagedLabel[] = [];
  if (files.some((f) => f.kind === 'new-server')) labels.push('new-server');
  if (files.some((f) => f.kind === 'new-version')) labels.push('new-version');
  if (ok && !autoMerge) labels.push('needs-review');
  if (serverFiles.length > 0 && serverFiles.every((f) => f.checks.verify === 'passed')) labels.push('verified');
  if (!ok) labels.push('invalid');

  return { schemaVersion: 1, number: ctx.number, headSha: ctx.headSha, ok, files, diagnostics: changes.diagnostics, labels, autoMerge, reviewReasons };
}
