/**
 * Reading and writing `registry/owners/io.github.<login>.yaml`: the GitHub account id that published under the
 * `io.github.<login>` namespace. A login can be renamed, freed and taken by someone else; the account id never
 * changes, so the PR check proves a login rename (and refuses an impostor holding a freed login) by this id.
 * Pure: text in, value and diagnostics out; value in, deterministic text out.
 */
import { Document, parseDocument } from 'yaml';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { STATE_DIR } from '../core/registry-state.ts';

export interface OwnerRecord {
  /** The login the namespace is named after (lower-cased). */
  login: string;
  /** GitHub's immutable numeric id of the account that published under `io.github.<login>`. */
  accountId: number;
  /** What GitHub calls the account (`type` of `GET /users/{login}`); absent in records written before it was kept. */
  accountType?: GitHubAccountType;
}

export type GitHubAccountType = 'User' | 'Organization';

/** GitHub's `type` when it is one an owner record may hold. */
export function accountTypeOf(type: unknown): GitHubAccountType | undefined {
  return type === 'User' || type === 'Organization' ? type : undefined;
}

const OWNER_PATH = /^registry\/owners\/io\.github\.([a-z0-9-]+)\.yaml$/;

/** `alice` → `registry/owners/io.github.alice.yaml`. */
export function ownerPath(login: string): string {
  return `${STATE_DIR}/owners/io.github.${login.toLowerCase()}.yaml`;
}

/** `registry/owners/io.github.alice.yaml` → `alice`; other paths → undefined. */
export function ownerLogin(path: string): string | undefined {
  return OWNER_PATH.exec(path)?.[1];
}

export function parseOwnerFile(text: string, login: string): { value?: OwnerRecord; diagnostics: Diagnostic[] } {
  const doc = parseDocument(text, { uniqueKeys: true });
  const [e] = doc.errors;
  if (e) return { diagnostics: [diagnostic('lifecycle/yaml', `not valid YAML: ${e.message.split('\n')[0]}`)] };
  const raw: unknown = doc.toJS();
  if (
    !isRecord(raw) ||
    Object.keys(raw).some((k) => k !== 'accountId' && k !== 'accountType') ||
    !Number.isSafeInteger(raw.accountId) ||
    (raw.accountId as number) <= 0 ||
    (raw.accountType !== undefined && accountTypeOf(raw.accountType) === undefined)
  )
    return {
      diagnostics: [
        diagnostic(
          'lifecycle/shape',
          'an owner record is a mapping with accountId, a positive integer (the GitHub account id), and optionally accountType, User or Organization',
        ),
      ],
    };
  const accountType = accountTypeOf(raw.accountType);
  return { value: { login: login.toLowerCase(), accountId: raw.accountId as number, ...(accountType === undefined ? {} : { accountType }) }, diagnostics: [] };
}

export function serializeOwnerFile(record: OwnerRecord): string {
  const header = `# Registry-owned: the GitHub account that publishes under io.github.${record.login.toLowerCase()}. A login rename keeps this id.\n`;
  return header + new Document({ accountId: record.accountId, ...(record.accountType === undefined ? {} : { accountType: record.accountType }) }).toString();
}
