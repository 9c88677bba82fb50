/** The server version: one specific version, usable as a file name. */
import { isSemver } from '../../core/semver.ts';
import { error, stringAt, strictError, warning } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';
import { looksLikeVersionRange } from './version-range.ts';

const FILE_SAFE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** `latest` (exactly, as the official registry reserves it) or a range: a version that names no one release. */
export function versionProblem(version: string): 'latest' | 'range' | undefined {
  if (version === 'latest') return 'latest';
  return looksLikeVersionRange(version) ? 'range' : undefined;
}

export function checkVersion(version: string): Finding[] {
  const problem = versionProblem(version);
  if (problem === 'latest') {
    return [error('version/latest', '/version', "'latest' is not a version; give the exact version you are publishing, like 1.2.3")];
  }
  if (problem === 'range') {
    return [error('version/range', '/version', `'${version}' is a version range; give one exact version, like 1.2.3`)];
  }
  if (!FILE_SAFE.test(version) || version.includes('..')) {
    return [
      strictError(
        'version/unsafe-filename',
        '/version',
        `'${version}' cannot be a file name in servers/; versions use letters, digits, '.', '-', '_' and '+', start with a letter or digit, and never contain '..'`,
      ),
    ];
  }
  if (!isSemver(version)) {
    // `v1.2.3` is a tag name, not a version: say the one-character fix.
    const untagged = /^[vV]/.test(version) && isSemver(version.slice(1)) ? `; write ${version.slice(1)}, without the tag's leading '${version.charAt(0)}'` : '';
    return [
      warning(
        'version/not-semver',
        '/version',
        `'${version}' is not semantic versioning (MAJOR.MINOR.PATCH); it is accepted, but ordering falls back to publish time${untagged}`,
      ),
    ];
  }
  return [];
}

export const versionRules = {
  codes: ['version/latest', 'version/range', 'version/unsafe-filename', 'version/not-semver'] as const,
  check(doc): Finding[] {
    const version = stringAt(doc, 'version');
    return version === undefined || version === '' ? [] : checkVersion(version);
  },
} satisfies Rule;
