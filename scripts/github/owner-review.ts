/**
 * The PR check's reading of an owner record the PR adds (`registry/owners/io.github.<login>.yaml`, state/owner-file.ts):
 * it records the GitHub account id behind a login. A user's record is accepted only from that login and that
 * account id, both taken from the event; an organisation's (`io.github.<org>`, whose PRs come from its Owners,
 * never from the organisation itself) only when GitHub answers that id for the login now and calls it an
 * Organization. Merged, it never changes by PR (classify-changes.ts refuses that by path).
 * `reviewOwnerRecord` is pure; `ownerReviews` is its git edge and `accountLookupVia` its GitHub edge.
 */
import type { Octokit } from '@octokit/rest';
import { diagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import { ownerLogin, parseOwnerFile } from '../state/owner-file.ts';
import type { ClassifiedFile } from './classify-changes.ts';
import { listTree, showFile } from './git.ts';

export interface OwnerReview {
  path: string;
  diagnostics: Diagnostic[];
}

/** What GitHub answers for a login now (`GET /users/{login}`): its account id and `User` or `Organization`. */
export interface GitHubAccount {
  id: number;
  type: string;
}

/** Looks a login up on GitHub; undefined when it does not exist or GitHub did not answer. */
export type AccountLookup = (login: string) => Promise<GitHubAccount | undefined>;

/** `GET /users/{login}`, each login asked once per check. A failed lookup is unknown, never a proof. */
export function accountLookupVia(octokit: Octokit): AccountLookup {
  const asked = new Map<string, Promise<GitHubAccount | undefined>>();
  return (login) => {
    const key = login.toLowerCase();
    let answer = asked.get(key);
    if (answer === undefined) {
      answer = octokit.rest.users.getByUsername({ username: key }).then(
        ({ data }) => (Number.isSafeInteger(data.id) && data.id > 0 ? { id: data.id, type: String(data.type) } : undefined),
        () => undefined,
      );
      asked.set(key, answer);
    }
    return answer;
  };
}

/**
 * The account that holds `login` now: the PR author's id from the event when it is the author's own login,
 * else GitHub's answer (an organisation's namespace, or another user's); undefined when unknown.
 */
export async function currentAccountId(login: string, author: string, authorId: number | undefined, lookup?: AccountLookup): Promise<number | undefined> {
  if (login.toLowerCase() === author.toLowerCase()) return authorId;
  return (await lookup?.(login))?.id;
}

/**
 * `current` is GitHub's answer for the record's login when it is not the author's (undefined: not asked, or no
 * answer). An organisation's record needs it: the event carries the author's id, not the organisation's.
 */
export function reviewOwnerRecord(path: string, text: string, author: string, authorId: number | undefined, current?: GitHubAccount): OwnerReview {
  const login = ownerLogin(path) ?? '';
  const parsed = parseOwnerFile(text, login);
  if (!parsed.value) return { path, diagnostics: parsed.diagnostics };
  const { accountId, accountType } = parsed.value;
  // The kind of account a record names is GitHub's word: a PR author is a User; an organisation's login, what GitHub answers.
  const actual = login === author.toLowerCase() ? 'User' : current?.type;
  if (accountType !== undefined && actual !== undefined && accountType !== actual)
    return {
      path,
      diagnostics: [
        diagnostic(
          'lifecycle/owner-record-mismatch',
          `${path} records accountType ${accountType} for ${login}, but GitHub calls that account ${actual === 'Organization' ? 'an' : 'a'} ${actual}: record the type \`gh api users/${login} --jq .type\` prints`,
        ),
      ],
    };
  if (login === author.toLowerCase() && authorId !== undefined && accountId === authorId) return { path, diagnostics: [] };
  if (login !== author.toLowerCase() && current?.type === 'Organization' && current.id === accountId) return { path, diagnostics: [] };
  if (login !== author.toLowerCase() && current?.type === 'Organization')
    return {
      path,
      diagnostics: [
        diagnostic(
          'lifecycle/owner-record-mismatch',
          `${path} records GitHub account ${accountId} for the organisation ${login}, but GitHub answers account ${current.id} for that login: record the id \`gh api users/${login} --jq .id\` prints`,
        ),
      ],
    };
  return {
    path,
    diagnostics: [
      diagnostic(
        'lifecycle/owner-record-mismatch',
        `${path} records GitHub account ${accountId} for the login ${login}, but this pull request comes from ${author} (account ${authorId ?? 'unknown'}): an owner record is added only by the account it names, from its own login (an organisation's only when GitHub confirms the organisation's id${current === undefined && login !== author.toLowerCase() ? ', which the check could not ask' : ''})`,
      ),
    ],
  };
}

/** The account ids recorded on `rev` (login → id): a PR cannot vouch for itself by adding one. */
export async function recordedAccountIds(repo: string, rev: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const path of await listTree(repo, rev, 'registry/owners')) {
    const login = ownerLogin(path);
    const text = login === undefined ? undefined : await showFile(repo, rev, path);
    const owner = text === undefined || login === undefined ? undefined : parseOwnerFile(text, login).value;
    if (owner) ids.set(owner.login, owner.accountId);
  }
  return ids;
}

/** An owner record the PR adds as a regular file (an edit, removal or link already has its error). */
export function isNewOwnerRecord(f: ClassifiedFile): boolean {
  return f.kind === 'owner' && !hasErrors(f.diagnostics);
}

/** The login an `io.github.<login>` namespace is named after (lower-cased); undefined for another namespace. */
export function namespaceLogin(namespace: string | undefined): string | undefined {
  return /^io\.github\.([a-z0-9-]+)$/i.exec(namespace ?? '')?.[1]?.toLowerCase();
}

/**
 * A version published under `io.github.<login>` whose recorded account id is not the account that holds the
 * login now: the login changed hands (renamed away, then taken), and holding it does not make its new holder
 * the publisher. The holder is the PR author for the author's own login (the event's id) and GitHub's answer
 * for another (an organisation the author is an Owner of, which verify proves): `current` for those logins.
 */
export function publisherMismatch(
  file: ClassifiedFile,
  accountIds: ReadonlyMap<string, number>,
  author: { login: string; id: number | undefined },
  current: ReadonlyMap<string, number> = new Map(),
): OwnerReview | undefined {
  if (file.kind !== 'new-server' && file.kind !== 'new-version') return undefined;
  const login = namespaceLogin(file.namespace);
  const recorded = login === undefined ? undefined : accountIds.get(login);
  if (login === undefined || recorded === undefined) return undefined;
  const own = login === author.login.toLowerCase();
  const holder = own ? author.id : current.get(login);
  // Another login that GitHub did not answer for: the namespace's ownership check (verify) decides.
  if (!own && holder === undefined) return undefined;
  if (recorded === holder) return undefined;
  return {
    path: file.path,
    diagnostics: [
      diagnostic(
        'lifecycle/publisher-account-mismatch',
        own
          ? `io.github.${login} was published by GitHub account ${recorded}, this pull request comes from account ${holder ?? 'unknown'}: a login that changed hands does not carry its namespace; publish under your own login`
          : `io.github.${login} was published by GitHub account ${recorded}, but the login ${login} belongs to account ${holder} now: a login that changed hands does not carry its namespace`,
      ),
    ],
  };
}

export async function ownerReviews(
  repo: string,
  base: string,
  head: string,
  files: readonly ClassifiedFile[],
  author: string,
  authorId: number | undefined,
  /** GitHub's answer for a login (organisations); absent, only the author's own login is known. */
  lookup?: AccountLookup,
): Promise<OwnerReview[]> {
  const out: OwnerReview[] = [];
  const accountIds = await recordedAccountIds(repo, base);
  // Asked only for a recorded namespace other than the author's own login that the PR publishes in.
  const current = new Map<string, number>();
  for (const f of files) {
    const login = f.kind === 'new-server' || f.kind === 'new-version' ? namespaceLogin(f.namespace) : undefined;
    if (login === undefined || login === author.toLowerCase() || !accountIds.has(login) || current.has(login)) continue;
    const id = (await lookup?.(login))?.id;
    if (id !== undefined) current.set(login, id);
  }
  for (const f of files) {
    const mismatch = publisherMismatch(f, accountIds, { login: author, id: authorId }, current);
    if (mismatch) out.push(mismatch);
  }
  for (const f of files.filter(isNewOwnerRecord)) {
    // `git show` reads a symbolic link as its target's name, never the file it points at.
    const text = await showFile(repo, head, f.path);
    const login = ownerLogin(f.path);
    const asked = login === undefined || login === author.toLowerCase() ? undefined : await lookup?.(login);
    if (text !== undefined) out.push(reviewOwnerRecord(f.path, text, author, authorId, asked));
  }
  return out;
}
