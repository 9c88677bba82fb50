/**
 * The PR check's reading of a rename PR (a new `registry/renames/<ns>/<old>.yaml`): what it renames, which
 * proofs of ownership it has, and what is wrong with it. Pure: the record's text, the base branch's records
 * and the PR's other paths in; diagnostics and a one-line explanation for the sticky comment out. A rename is
 * never merged by the bot: a maintainer reads the explanation and decides.
 */
import { diagnostic as error, warning, type Diagnostic } from '../core/diagnostics.ts';
import { loginRenameProblems, renameProblems } from '../lifecycle/rename.ts';
import { owner, ownerApproved, ownerApprover, transferOf, transferProblems, type Approver, type Transfer } from '../lifecycle/transfer.ts';
import { parseRenameFile, type RenameRecord } from '../state/rename-file.ts';
import { githubNamespaceOwner } from './classify-changes.ts';
import type { GitHubAccount } from './owner-review.ts';

const RENAME_PATH = /^registry\/renames\/([^/]+)\/([^/]+)\.yaml$/;

export interface RenameReview {
  path: string;
  /** Problems with the record (errors make the PR invalid). */
  diagnostics: Diagnostic[];
  /** For the sticky comment: what is renamed and how far the proofs go. */
  explanation: string;
}

/** `registry/renames/com.example/a.yaml` → `com.example/a`; other paths → undefined. */
export function renamedName(path: string): string | undefined {
  const m = RENAME_PATH.exec(path);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function namespaceOf(name: string): string {
  return name.slice(0, name.indexOf('/'));
}

/**
 * What the check can prove about owning `name`: an `io.github.<login>` namespace belongs to that login; a
 * domain namespace needs the checks publishing makes (DNS or HTTP key), which a maintainer confirms.
 */
function ownership(name: string, author: string, ids: AccountIds = {}): { proven: boolean | undefined; text: string } {
  const ns = namespaceOf(name);
  const login = githubNamespaceOwner(ns);
  if (login === undefined) return { proven: undefined, text: `${ns} is a domain namespace: a maintainer confirms that ${author} holds its key` };
  const account = login === author.toLowerCase() ? undefined : ids.accounts?.get(login);
  if (account?.type === 'Organization') {
    // An organisation's PRs come from its Owners: verify proves that for a version, a maintainer for a rename.
    const recorded = ids.accountIds?.get(login);
    if (recorded !== undefined && recorded !== account.id)
      return { proven: false, text: `${ns} was published by GitHub account ${recorded}, but the organisation login ${login} is account ${account.id} now` };
    return { proven: undefined, text: `${ns} is the GitHub organisation ${login}: a maintainer confirms that ${author} is one of its Owners` };
  }
  if (login !== author.toLowerCase()) return { proven: false, text: `${ns} belongs to ${login}, not ${author}` };
  // The login matches, but a recorded account id says who published there: a freed login taken by another
  // account does not inherit the namespace.
  const recorded = ids.accountIds?.get(login);
  if (recorded !== undefined && recorded !== ids.authorId)
    return {
      proven: false,
      text: `${ns} was published by GitHub account ${recorded}, not by account ${ids.authorId ?? 'unknown'} that now holds the login ${login}`,
    };
  return { proven: true, text: `${author} owns ${ns}` };
}

/** The account ids the check knows: the PR author's (from the event) and those recorded in registry/owners/. */
interface AccountIds {
  authorId?: number;
  /** Login (lower-cased) → the GitHub account id recorded for `io.github.<login>`. */
  accountIds?: ReadonlyMap<string, number>;
  /** Login (lower-cased) → what GitHub answers for it now, for the logins of the record other than the author's. */
  accounts?: ReadonlyMap<string, GitHubAccount>;
}

function accountMismatch(name: string, ids: AccountIds, author: string): Diagnostic | undefined {
  const login = githubNamespaceOwner(namespaceOf(name));
  const recorded = login === undefined ? undefined : ids.accountIds?.get(login);
  if (login === undefined || recorded === undefined) return undefined;
  const org = login === author.toLowerCase() ? undefined : ids.accounts?.get(login);
  if (org?.type === 'Organization') {
    if (org.id === recorded) return undefined;
    return error(
      'lifecycle/rename-account-mismatch',
      `io.github.${login} was published by GitHub account ${recorded}, but the organisation login ${login} is account ${org.id} now: a login that changed hands does not carry its namespace`,
    );
  }
  if (recorded === ids.authorId) return undefined;
  return error(
    'lifecycle/rename-account-mismatch',
    `io.github.${login} was published by GitHub account ${recorded}, this PR comes from account ${ids.authorId ?? 'unknown'}: holding the login ${login} is not enough once it has changed hands`,
  );
}

/**
 * A record written as a maintainer's decision (`mcp-registry rename --maintainer --reason …`): no ownership
 * proof, but its author must be a maintainer (`lifecycle/maintainer-claim` otherwise, for a maintainer to
 * review), and a transfer out of a login's namespace into another's needs the reason, which is its consent
 * when the old owner is gone.
 */
function maintainerDecision(path: string, record: RenameRecord, existing: readonly RenameRecord[], ctx: ReviewContext): RenameReview {
  const diagnostics = renameProblems(existing, record, { ownsName: () => true, otherChangedPaths: ctx.otherChangedPaths });
  if (!ctx.maintainer) {
    diagnostics.push(
      warning(
        'lifecycle/maintainer-claim',
        `${path} records the rename as a maintainer's decision (renamedBy: maintainer), but ${ctx.author} is not a maintainer; a maintainer reviews it`,
      ),
    );
  }
  const fromOwner = githubNamespaceOwner(namespaceOf(record.from));
  const toOwner = githubNamespaceOwner(namespaceOf(record.to));
  const transfer = fromOwner !== undefined && toOwner !== undefined && fromOwner !== toOwner;
  if (transfer)
    diagnostics.push(
      ...transferProblems(withAccount({ name: record.from, to: record.to, fromOwner, toOwner }, ctx), {
        approvedBy: ctx.approvedBy ?? [],
        ...(record.reason !== undefined ? { maintainerReason: record.reason } : {}),
      }),
    );
  const who = ctx.maintainer ? `${ctx.author} is a maintainer` : `${ctx.author} is not a maintainer`;
  const why = record.reason === undefined ? 'no reason recorded' : `reason: ${record.reason}`;
  return {
    path,
    diagnostics,
    explanation: transfer
      ? `it transfers ${record.from} from ${fromOwner} to ${record.to} by a maintainer's decision (${who}; ${why}); a maintainer reviews every transfer before it is merged`
      : `it renames ${record.from} to ${record.to} by a maintainer's decision (${who}; ${why}); a maintainer reviews every rename before it is merged`,
  };
}

/** What GitHub answers for the logins, without the recorded ids: ownership by login (an organisation by its type). */
function accountsOnly(ids: AccountIds): AccountIds {
  return ids.accounts === undefined ? {} : { accounts: ids.accounts };
}

/** The transfer with the account id recorded for its old login, which consent is matched on. */
function withAccount(transfer: Transfer, ids: AccountIds): Transfer {
  const id = ids.accountIds?.get(transfer.fromOwner);
  return id === undefined ? transfer : { ...transfer, fromAccountId: id };
}

/** What the reviews say about the old owner's consent, for the sticky comment. */
function consentText(transfer: Transfer, approvedBy: readonly Approver[]): string {
  const who = { login: transfer.fromOwner, ...(transfer.fromAccountId !== undefined ? { accountId: transfer.fromAccountId } : {}) };
  const approver = ownerApprover(approvedBy, who);
  if (approver === undefined) {
    const impostor = transfer.fromAccountId !== undefined && approvedBy.some((a) => a.login === transfer.fromOwner);
    return impostor
      ? `${owner(transfer)} has not approved this pull request (the approval from the login ${transfer.fromOwner} comes from account ${approvedBy.find((a) => a.login === transfer.fromOwner)?.accountId ?? 'unknown'}, which is not the account that published there)`
      : `${owner(transfer)} has not approved this pull request`;
  }
  if (transfer.fromAccountId === undefined)
    return `${transfer.fromOwner} approved this pull request (matched by login: no account id is recorded for io.github.${transfer.fromOwner}, so a maintainer confirms it is the same account)`;
  return approver.login === transfer.fromOwner
    ? `${owner(transfer)} approved this pull request`
    : `${owner(transfer)} approved this pull request as ${approver.login}`;
}

/**
 * `io.github.<old-org>/x → io.github.<new-org>/x` where the account id recorded for the old login is the
 * organisation GitHub answers for the new login now: the organisation renamed its login. (A user's login
 * rename is the PR author's own id, rename.ts `loginRenameProblems`.)
 */
function orgLoginRename(record: RenameRecord, ctx: ReviewContext): { fromOwner: string; toOwner: string; accountId: number } | undefined {
  const fromOwner = githubNamespaceOwner(namespaceOf(record.from));
  const toOwner = githubNamespaceOwner(namespaceOf(record.to));
  if (fromOwner === undefined || toOwner === undefined || fromOwner === toOwner || toOwner === ctx.author.toLowerCase()) return undefined;
  if (record.from.slice(record.from.indexOf('/')) !== record.to.slice(record.to.indexOf('/'))) return undefined;
  const recorded = ctx.accountIds?.get(fromOwner);
  const now = ctx.accounts?.get(toOwner);
  if (recorded === undefined || now?.type !== 'Organization' || now.id !== recorded) return undefined;
  return { fromOwner, toOwner, accountId: recorded };
}

interface ReviewContext extends AccountIds {
  author: string;
  maintainer: boolean;
  otherChangedPaths: readonly string[];
  /** Reviewers that approved the PR's head; undefined when the check did not read the reviews. */
  approvedBy?: readonly Approver[];
  /** A maintainer's reason for deciding a transfer whose old owner is gone. */
  maintainerReason?: string;
  /** Why the approvals could not be read (GitHub answered with an error); the consent is then left to a maintainer. */
  approvalsError?: string;
}

export function reviewRename(path: string, text: string, existing: readonly RenameRecord[], ctx: ReviewContext): RenameReview {
  const old = renamedName(path) ?? path;
  const parsed = parseRenameFile(text, old);
  if (!parsed.value) return { path, diagnostics: parsed.diagnostics, explanation: `${path} is not a readable rename record` };
  const record = parsed.value;
  if (record.renamedBy === 'maintainer') return maintainerDecision(path, record, existing, ctx);
  const org = orgLoginRename(record, ctx);
  if (org !== undefined) {
    return {
      path,
      diagnostics: renameProblems(existing, record, { ownsName: () => true, otherChangedPaths: ctx.otherChangedPaths }),
      explanation: `it moves ${record.from} to ${record.to} after a GitHub login rename of the organisation ${org.toOwner} (account ${org.accountId} published io.github.${org.fromOwner} and is the organisation ${org.toOwner} now); a maintainer confirms that ${ctx.author} is one of its Owners, as for every rename`,
    };
  }
  const proofs = [record.from, record.to].map((n) => ownership(n, ctx.author, ctx));
  // Out of another login's namespace into the author's: a transfer, proven by consent instead of ownership.
  const moved = ctx.maintainer ? undefined : transferOf(record, ctx.author);
  // …unless the old login's recorded account id is the author's: the same account renamed its login.
  const recordedId = moved === undefined ? undefined : ctx.accountIds?.get(moved.fromOwner);
  const loginRename = moved !== undefined && recordedId !== undefined && recordedId === ctx.authorId;
  const transfer = loginRename || moved === undefined ? undefined : withAccount(moved, ctx);
  const impostor =
    moved !== undefined && recordedId !== undefined && !loginRename && !ownerApproved(ctx.approvedBy ?? [], { login: moved.fromOwner, accountId: recordedId })
      ? loginRenameProblems(record, recordedId, ctx.authorId).map((d) => ({
          ...d,
          message: `${d.message}; moving it to another account needs the approval of account ${recordedId} (whatever its login is now) on this pull request`,
        }))
      : [];
  const problems = renameProblems(
    existing,
    // A maintainer's rename needs no ownership proof; an unknown domain proof is left to the reviewer.
    ctx.maintainer ? { ...record, renamedBy: 'maintainer' } : record,
    {
      // By login here; a login held by another account than the recorded one is refused below, with its own code.
      ownsName: (n) => (moved !== undefined && n === moved.name) || ownership(n, ctx.author, accountsOnly(ctx)).proven !== false,
      otherChangedPaths: ctx.otherChangedPaths,
    },
  );
  if (!ctx.maintainer) {
    // A namespace the author holds by login only, published by another account: refused with its own code.
    const namespaces = new Set([record.from, record.to].filter((n) => n !== moved?.name).map(namespaceOf));
    const mismatch = [...namespaces].map((ns) => accountMismatch(`${ns}/`, ctx, ctx.author));
    for (const d of mismatch) if (d !== undefined) problems.push(d);
  }
  problems.push(...impostor);
  if (loginRename) {
    return {
      path,
      diagnostics: problems,
      explanation: `it moves ${record.from} to ${record.to} after a GitHub login rename (account ${recordedId} published io.github.${moved.fromOwner} and opened this pull request as ${ctx.author}); a maintainer reviews every rename before it is merged`,
    };
  }
  if (transfer && ctx.approvedBy !== undefined && impostor.length === 0) {
    problems.push(
      ...transferProblems(transfer, { approvedBy: ctx.approvedBy, ...(ctx.maintainerReason !== undefined ? { maintainerReason: ctx.maintainerReason } : {}) }),
    );
  }
  if (transfer) {
    const consent =
      ctx.approvedBy === undefined
        ? `${transfer.fromOwner} must approve this pull request, or a maintainer decides with a reason when ${transfer.fromOwner} is gone; ${ctx.approvalsError === undefined ? 'the check does not read approvals' : `the check could not read the approvals (${ctx.approvalsError})`}, so a maintainer confirms the consent`
        : consentText(transfer, ctx.approvedBy);
    return {
      path,
      diagnostics: problems,
      explanation: `it transfers ${record.from} from ${transfer.fromOwner} to ${record.to} (${ctx.author} owns io.github.${transfer.toOwner}; ${consent}); a maintainer reviews every transfer before it is merged`,
    };
  }
  const proofText = ctx.maintainer ? `${ctx.author} is a maintainer` : [...new Set(proofs.map((p) => p.text))].join('; ');
  return {
    path,
    diagnostics: problems,
    explanation: `it renames ${record.from} to ${record.to} (${proofText}); a maintainer reviews every rename before it is merged`,
  };
}
