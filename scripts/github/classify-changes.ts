/**
 * What a pull request changes, in registry terms, and the immutability rule: a published version file never
 * changes, moves or disappears. Pure: takes the parsed diff and the set of servers already published on the base.
 */
import { diagnostic, warning, type Diagnostic } from '../core/diagnostics.ts';
import { STATE_DIR } from '../core/registry-state.ts';
import { ownerLogin } from '../state/owner-file.ts';
import { APPROVALS_FILE } from '../views/approvals.ts';
import { SUBMODULE_MODE, SYMLINK_MODE, type ChangedFile } from './changed-files.ts';
import { escapeControlCharacters, hasControlCharacter } from './untrusted-text.ts';

/**
 * `approval`: the approved list, registry/approved.yaml (views/approvals.ts), which only a maintainer changes.
 * `owner`: the GitHub account id behind an `io.github.<login>` namespace (state/owner-file.ts, owner-review.ts).
 */
export type ChangeKind = 'new-server' | 'new-version' | 'lifecycle' | 'rename' | 'approval' | 'owner' | 'other';

export interface ClassifiedFile {
  path: string;
  kind: ChangeKind;
  /** `namespace/name` as written in the path (server and lifecycle files). */
  serverName?: string;
  namespace?: string;
  version?: string;
  /** True when the file's content should be checked (it exists after the PR and is a regular file). */
  checkContent: boolean;
  /** The version file whose validate/verify results speak for this file (a signature's `.json`). */
  checkPath?: string;
  diagnostics: Diagnostic[];
}

export interface ChangeSet {
  files: ClassifiedFile[];
  /** Diagnostics about the PR as a whole. */
  diagnostics: Diagnostic[];
}

export interface ClassifyOptions {
  /** Lower-cased `namespace/name` of every server with at least one version on the base branch. */
  publishedServers: ReadonlySet<string>;
  /** More changed files than this and the PR is refused as a whole. */
  maxFiles: number;
}

export const DEFAULT_MAX_FILES = 100;

const SERVER_PATH = /^servers\/([^/]+)\/([^/]+)\/([^/]+)\.json$/;
/** A domain namespace's signature beside its version file (`mcp-registry sign`). */
const SIGNATURE_PATH = /^servers\/([^/]+)\/([^/]+)\/([^/]+)\.json\.sig$/;
const STATUS_PATH = new RegExp(`^${STATE_DIR}/status/([^/]+)/([^/]+)\\.yaml$`);
/** A domain owner's signature beside a status file (`mcp-registry sign`, or `--key-file` on deprecate|delete|restore). */
const STATUS_SIGNATURE_PATH = new RegExp(`^${STATE_DIR}/status/([^/]+)/([^/]+)\\.yaml\\.sig$`);
/** A rename record (`mcp-registry rename`): `registry/renames/<namespace>/<old name>.yaml`. */
const RENAME_PATH = new RegExp(`^${STATE_DIR}/renames/([^/]+)/([^/]+)\\.yaml$`);

export function parseServerPath(path: string): { namespace: string; name: string; version: string } | undefined {
  const [, namespace, name, version] = SERVER_PATH.exec(path) ?? [];
  return namespace !== undefined && name !== undefined && version !== undefined ? { namespace, name, version } : undefined;
}

export function parseSignaturePath(path: string): { namespace: string; name: string; version: string } | undefined {
  const [, namespace, name, version] = SIGNATURE_PATH.exec(path) ?? [];
  return namespace !== undefined && name !== undefined && version !== undefined ? { namespace, name, version } : undefined;
}

export function parseStatusPath(path: string): { namespace: string; name: string } | undefined {
  const [, namespace, name] = STATUS_PATH.exec(path) ?? [];
  return namespace !== undefined && name !== undefined ? { namespace, name } : undefined;
}

export function parseStatusSignaturePath(path: string): { namespace: string; name: string } | undefined {
  const [, namespace, name] = STATUS_SIGNATURE_PATH.exec(path) ?? [];
  return namespace !== undefined && name !== undefined ? { namespace, name } : undefined;
}

/** `registry/renames/com.example/a.yaml` → the old name it renames; other paths → undefined. */
export function parseRenamePath(path: string): { namespace: string; name: string } | undefined {
  const [, namespace, name] = RENAME_PATH.exec(path) ?? [];
  return namespace !== undefined && name !== undefined ? { namespace, name } : undefined;
}

function hasError(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

function isUnder(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

/**
 * Diagnostics for a path that existed on the base and is touched by the PR. A signature may be replaced
 * (re-signed after a key rotation); it may not move or disappear.
 */
function publishedFileDiagnostics(change: ChangedFile, contentMayChange: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  switch (change.status) {
    case 'deleted':
      out.push(
        diagnostic(
          'immutability/deleted',
          `${change.path} is a published version and cannot be removed. To withdraw it, open a lifecycle change instead: \`mcp-registry delete\` or \`mcp-registry deprecate\`.`,
        ),
      );
      break;
    case 'renamed': {
      const from = change.oldPath === undefined ? undefined : parseServerPath(change.oldPath);
      const to = parseServerPath(change.path);
      const otherNamespace = from && to && from.namespace.toLowerCase() !== to.namespace.toLowerCase();
      out.push(
        diagnostic(
          'immutability/renamed',
          `${change.oldPath} is a published version and cannot be moved to ${change.path}${otherNamespace ? ' (another namespace)' : ''}. Keep the old file and add the new one as a separate file.`,
        ),
      );
      break;
    }
    case 'type-changed':
      out.push(
        diagnostic(
          'immutability/mode-changed',
          `${change.path} is a published version; its file type changed (${change.oldMode} → ${change.newMode}). Revert the change.`,
        ),
      );
      break;
    default:
      if (change.oldMode !== change.newMode) {
        out.push(
          diagnostic(
            'immutability/mode-changed',
            `${change.path} is a published version; its file mode changed (${change.oldMode} → ${change.newMode}). Revert the change.`,
          ),
        );
      } else if (!contentMayChange) {
        out.push(
          diagnostic('immutability/modified', `${change.path} is a published version and its bytes never change. Publish a new version as a new file instead.`),
        );
      }
  }
  return out;
}

function classifyOne(change: ChangedFile, options: ClassifyOptions): ClassifiedFile {
  const diagnostics: Diagnostic[] = [];
  const server = parseServerPath(change.path);
  const status = parseStatusPath(change.path);
  const exists = change.status !== 'deleted';
  const regular = change.newMode !== SYMLINK_MODE && change.newMode !== SUBMODULE_MODE;
  if (exists && !regular) {
    diagnostics.push(
      diagnostic(
        'pr/not-a-regular-file',
        `${change.path} is a ${change.newMode === SYMLINK_MODE ? 'symbolic link' : 'submodule'}; the registry only accepts regular files. Commit the file itself.`,
      ),
    );
  }

  if (isUnder(change.path, 'servers') || (change.oldPath !== undefined && isUnder(change.oldPath, 'servers'))) {
    const signature = parseSignaturePath(change.path);
    const entry = server ?? signature;
    const touchesPublished = change.status !== 'added' && change.status !== 'copied';
    if (touchesPublished) diagnostics.push(...publishedFileDiagnostics(change, signature !== undefined));
    if (exists && !entry) {
      diagnostics.push(
        diagnostic('pr/unexpected-path', `${change.path} is not of the form servers/<namespace>/<name>/<version>.json (or its .json.sig). Move it there.`),
      );
    }
    const serverName = entry ? `${entry.namespace}/${entry.name}` : undefined;
    const kind: ChangeKind = serverName && !options.publishedServers.has(serverName.toLowerCase()) ? 'new-server' : 'new-version';
    const cleanChange = !hasError(diagnostics);
    return {
      path: change.path,
      kind,
      ...(entry ? { serverName: `${entry.namespace}/${entry.name}`, namespace: entry.namespace, version: entry.version } : {}),
      checkContent: exists && regular && entry !== undefined && cleanChange && (signature !== undefined || !touchesPublished),
      ...(signature ? { checkPath: change.path.slice(0, -'.sig'.length) } : {}),
      diagnostics,
    };
  }

  const statusSignature = parseStatusSignaturePath(change.path);
  if (statusSignature || (change.oldPath !== undefined && parseStatusSignaturePath(change.oldPath))) {
    // Replaced on every signed change; removing one only takes away a proof, so a human decides.
    if (change.status === 'renamed') {
      diagnostics.push(
        diagnostic(
          'lifecycle/signature-moved',
          `${change.oldPath} signs one server's status file and cannot move to ${change.path}. Sign the other status file instead: \`mcp-registry sign <status file>\`.`,
        ),
      );
    }
    return {
      path: change.path,
      kind: 'lifecycle',
      ...(statusSignature ? { serverName: `${statusSignature.namespace}/${statusSignature.name}`, namespace: statusSignature.namespace } : {}),
      checkContent: exists && regular && statusSignature !== undefined && !hasError(diagnostics),
      ...(statusSignature ? { checkPath: change.path.slice(0, -'.sig'.length) } : {}),
      diagnostics,
    };
  }

  if (status || (change.oldPath !== undefined && parseStatusPath(change.oldPath))) {
    if (change.status === 'deleted' || change.status === 'renamed') {
      diagnostics.push(
        diagnostic(
          'lifecycle/state-removed',
          `${change.oldPath ?? change.path} holds the moderation history of a server and cannot be ${change.status}. Use \`mcp-registry restore\` to make versions active again.`,
        ),
      );
    }
    return {
      path: change.path,
      kind: 'lifecycle',
      ...(status ? { serverName: `${status.namespace}/${status.name}`, namespace: status.namespace } : {}),
      checkContent: exists && regular && status !== undefined,
      diagnostics,
    };
  }

  const rename = parseRenamePath(change.path);
  if (rename || (change.oldPath !== undefined && parseRenamePath(change.oldPath))) {
    // Clients and mirrors that stored the old name rely on the record: once merged it never changes.
    const merged = change.status !== 'added' && change.status !== 'copied';
    if (merged) {
      diagnostics.push(
        diagnostic(
          'lifecycle/rename-record-changed',
          `${change.oldPath ?? change.path} is a merged rename record and cannot be ${change.status === 'modified' ? 'edited' : change.status === 'type-changed' ? 'changed' : change.status}: clients that stored the old name rely on it. Revert the change; if the record is wrong, a maintainer decides.`,
        ),
      );
    }
    return {
      path: change.path,
      kind: 'rename',
      ...(rename ? { serverName: `${rename.namespace}/${rename.name}`, namespace: rename.namespace } : {}),
      checkContent: false,
      diagnostics,
    };
  }

  const owner = ownerLogin(change.path);
  if (owner !== undefined || (change.oldPath !== undefined && ownerLogin(change.oldPath) !== undefined)) {
    // A login rename is proven by the recorded id, so a record once merged never changes by PR.
    const merged = change.status !== 'added' && change.status !== 'copied';
    if (merged) {
      diagnostics.push(
        diagnostic(
          'lifecycle/owner-record-changed',
          `${change.oldPath ?? change.path} records which GitHub account published under its namespace and cannot be ${change.status === 'modified' ? 'edited' : change.status}. Revert the change; after a login rename, rename the servers to your new login's namespace instead.`,
        ),
      );
    }
    return {
      path: change.path,
      kind: 'owner',
      ...(owner !== undefined ? { namespace: `io.github.${owner}` } : {}),
      // Read by the owner review (owner-review.ts), not by validate.
      checkContent: false,
      diagnostics,
    };
  }

  if (change.path === APPROVALS_FILE || change.oldPath === APPROVALS_FILE) {
    // Its content is checked, and its approvals listed, by the approval review (approval-review.ts).
    return { path: change.path, kind: 'approval', checkContent: false, diagnostics };
  }

  diagnostics.push(warning('pr/outside-registry', `${change.path} is not a registry entry; a maintainer reviews this change by hand.`));
  return { path: change.path, kind: 'other', checkContent: false, diagnostics };
}

export function classifyChanges(changes: readonly ChangedFile[], options: ClassifyOptions): ChangeSet {
  if (changes.length > options.maxFiles) {
    return {
      files: [],
      diagnostics: [
        diagnostic(
          'pr/too-many-files',
          `This pull request changes ${changes.length} files; the check handles at most ${options.maxFiles}. Split it into smaller pull requests (one server per PR is easiest to review).`,
        ),
      ],
    };
  }
  return { files: changes.map((c) => refuseControlCharacters(c, classifyOne(c, options))), diagnostics: [] };
}

/** A name no registry entry has, and one that could rewrite a CI log or a comment line: refused, never read. */
function refuseControlCharacters(change: ChangedFile, file: ClassifiedFile): ClassifiedFile {
  const bad = [change.path, change.oldPath].find((p) => p !== undefined && hasControlCharacter(p));
  if (bad === undefined) return file;
  const shown = `"${escapeControlCharacters(bad)}"`;
  const refusal = diagnostic(
    'pr/path-control-character',
    `the file name ${shown} contains a control character (a line break, tab, escape or bidirectional override); registry files never do. Rename the file.`,
  );
  return { ...file, checkContent: false, diagnostics: [refusal, ...file.diagnostics] };
}

/** `io.github.<login>` → the GitHub login that owns it (lower-cased); other namespaces → undefined. */
export function githubNamespaceOwner(namespace: string): string | undefined {
  return /^io\.github\.([a-z0-9-]+)$/i.exec(namespace)?.[1]?.toLowerCase();
}
