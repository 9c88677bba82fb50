/**
 * Rules over the whole servers/ folder rather than one file: the path agrees with name and version, and no two
 * files claim the same server version, the same name in another case, or the same remote URL. Pure.
 */
import { error, recordsAt, stringAt, warning } from './rule.ts';
import { checkVersion } from './rules/version.ts';
import type { Finding } from './rule.ts';
import { isRecord } from '../core/is-record.ts';
import { versionFileName } from '../core/version-file.ts';

export const SERVERS_DIR = 'servers';

export interface RegistryFile {
  /** Relative to the registry root, POSIX separators. */
  path: string;
  value?: Record<string, unknown>;
}

export const REGISTRY_CODES = [
  'registry/path-mismatch',
  'registry/duplicate-version',
  'registry/name-case-conflict',
  'registry/remote-url-conflict',
  'registry/remote-url-claimed',
] as const;

export interface RegistryRuleOptions {
  /**
   * A version whose status is deprecated or deleted (registry/status): it releases its remote URLs, so another
   * server may list them. Absent: every version holds its URLs.
   */
  released?: (name: string, version: string) => boolean;
  /**
   * The files were asked for by name (a pull request's changed files), not the whole tree: a server that
   * lists a URL another server has claimed with proof is then refused (it is the newcomer, or an old holder
   * publishing the URL again). Over the whole tree (a build) an old holder is only warned, so a proven claim
   * never breaks the build.
   */
  newcomers?: boolean;
}

/** The host of a remote URL (placeholders such as `{tenant}` read as a label), lower-cased; undefined when not a URL. */
function remoteHost(url: string): string | undefined {
  try {
    return new URL(url.replace(/\{[^}]*\}/g, 'x')).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/**
 * True when `name`'s namespace is a domain namespace the host is on (`com.example/x` and `api.example.com`):
 * publishing under it is proven by that domain's key, which is proof of control of the host. Never for
 * `io.github.<login>`, whose proof is a GitHub login.
 */
function namespaceCoversHost(name: string, host: string): boolean {
  const ns = name.slice(0, name.indexOf('/')).toLowerCase();
  if (ns.startsWith('io.github.')) return false;
  const labels = ns.split('.');
  if (labels.length < 2) return false;
  const domain = labels.reverse().join('.');
  return host === domain || host.endsWith(`.${domain}`);
}

/** `io.github.user/weather` + `1.0.0` → `servers/io.github.user/weather/1.0.0.json`. */
export function versionFilePath(name: string, version: string): string {
  return `${SERVERS_DIR}/${name}/${versionFileName(version) ?? version}.json`;
}

export function isUnderServers(path: string): boolean {
  return path.startsWith(`${SERVERS_DIR}/`);
}

/** Findings per path (only paths that have some). */
export function registryFindings(files: readonly RegistryFile[], options: RegistryRuleOptions = {}): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const add = (path: string, finding: Finding) => {
    const list = out.get(path) ?? [];
    list.push(finding);
    out.set(path, list);
  };
  const byVersion = new Map<string, string[]>();
  const spellings = new Map<string, Map<string, string[]>>();
  const remoteOwners = new Map<string, Map<string, string[]>>();

  for (const file of files) {
    if (!isUnderServers(file.path) || !isRecord(file.value)) continue;
    const name = stringAt(file.value, 'name');
    const version = stringAt(file.value, 'version');
    if (name === undefined || version === undefined) continue;
    const expected = versionFilePath(name, version);
    // A version that cannot be a file name ('latest', a range, '../x') has its own error; a path built
    // from it would be bad advice (even the encoded name a mirrored version gets, scripts/core/version-file.ts).
    if (file.path !== expected && !checkVersion(version).some((f) => f.severity === 'error')) {
      add(
        file.path,
        error(
          'registry/path-mismatch',
          '/name',
          `this file declares ${name} ${version}, so it belongs at ${expected}; move it there (the path must agree with name and version)`,
        ),
      );
    }
    const key = `${name.toLowerCase()}@${version}`;
    const claimed = byVersion.get(key);
    if (claimed === undefined) byVersion.set(key, [file.path]);
    else claimed.push(file.path);
    const lower = name.toLowerCase();
    const forms = spellings.get(lower) ?? new Map<string, string[]>();
    if (forms.size === 0) spellings.set(lower, forms);
    const spelled = forms.get(name);
    if (spelled === undefined) forms.set(name, [file.path]);
    else spelled.push(file.path);
    // A deprecated or deleted version has released its URLs (the remote hand-over, docs/publishing.md).
    if (options.released?.(name, version)) continue;
    recordsAt(file.value, 'remotes').forEach((remote, i) => {
      const url = stringAt(remote, 'url');
      if (!url) return;
      const owners = remoteOwners.get(url) ?? new Map<string, string[]>();
      owners.set(lower, [...(owners.get(lower) ?? []), `${file.path}#/remotes/${i}/url`]);
      remoteOwners.set(url, owners);
    });
  }

  for (const [key, paths] of byVersion) {
    if (paths.length < 2) continue;
    for (const path of paths) {
      const others = paths.filter((p) => p !== path).join(', ');
      add(
        path,
        error('registry/duplicate-version', '/version', `${key.replace('@', ' ')} is also claimed by ${others}; each version is published by exactly one file`),
      );
    }
  }
  for (const forms of spellings.values()) {
    if (forms.size < 2) continue;
    const sorted = [...forms].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, paths] of forms) {
      for (const path of paths) {
        const others = sorted.filter(([n]) => n !== name).map(([n, p]) => `'${n}' (${p.join(', ')})`);
        add(
          path,
          error(
            'registry/name-case-conflict',
            '/name',
            `'${name}' differs only by case from ${others.join(', ')}, and names differing only by case are one name; every version must use one spelling, so keep the one published first and rename the other files to it`,
          ),
        );
      }
    }
  }
  for (const [url, owners] of remoteOwners) {
    if (owners.size < 2) continue;
    const names = [...owners.keys()].sort();
    const host = remoteHost(url);
    // Exactly one holder whose domain namespace the host is on: its domain key (checked by verify, as for
    // publishing) proves control of the host, so its claim stands and the others are told to release the URL.
    const provers = host === undefined ? [] : names.filter((n) => namespaceCoversHost(n, host));
    const claimant = provers.length === 1 ? provers[0] : undefined;
    for (const [name, places] of owners) {
      const others = names.filter((n) => n !== name).join(', ');
      for (const place of places) {
        const [path, pointer] = place.split('#') as [string, string];
        if (claimant !== undefined && name !== claimant && options.newcomers) {
          add(
            path,
            error(
              'registry/remote-url-conflict',
              pointer,
              `the remote ${url} is claimed by ${claimant}, whose domain namespace proves control of ${host}; ${name} cannot list it: a remote URL belongs to one active server at a time`,
            ),
          );
          continue;
        }
        if (claimant !== undefined) {
          add(
            path,
            warning(
              'registry/remote-url-claimed',
              pointer,
              name === claimant
                ? `the remote ${url} is also listed by ${others}, an active server; ${name} claims it with proof of control of ${host}: the key of its domain namespace, which verify checks as for publishing`
                : `the remote ${url} is claimed by ${claimant}, whose domain namespace proves control of ${host}; deprecate or delete ${name}'s versions that list it to hand it over`,
            ),
          );
          continue;
        }
        add(
          path,
          error(
            'registry/remote-url-conflict',
            pointer,
            `the remote ${url} is also listed by ${others}, an active server; a remote URL belongs to one active server at a time: deprecate or delete the other server's versions that list it to release it, or claim it from a domain namespace that ${host ?? 'its host'} is on (its key proves control of the host)`,
          ),
        );
      }
    }
  }
  return out;
}
