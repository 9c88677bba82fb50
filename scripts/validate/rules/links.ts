/** Links shown to people: repository, website and icons. */
import { error, recordsAt, stringAt } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';
import { isRecord } from '../../core/is-record.ts';

function protocolOf(url: string): string | undefined {
  try {
    return new URL(url).protocol;
  } catch {
    return undefined; // the schema reports unparsable URLs
  }
}

const FORGES: Record<string, string> = { github: 'github.com', gitlab: 'gitlab.com' };

/** A clean relative path: no leading or trailing '/', no '.', '..' or empty segments, no backslashes. */
export function isCleanRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.endsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export const repositoryRules: Rule = {
  codes: ['repository/url', 'repository/subfolder'],
  check(doc) {
    const repository = doc.repository;
    if (!isRecord(repository)) return [];
    const out: Finding[] = [];
    const url = stringAt(repository, 'url');
    const source = stringAt(repository, 'source');
    const forge = source ? FORGES[source] : undefined;
    if (url && forge) {
      const m = /^https:\/\/([^/]+)\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
      if (!m || m[1]!.toLowerCase() !== forge) {
        out.push(error('repository/url', '/repository/url', `a ${source} repository URL looks like https://${forge}/<owner>/<repo>; found '${url}'`));
      }
    } else if (url && protocolOf(url) !== undefined && protocolOf(url) !== 'https:') {
      out.push(error('repository/url', '/repository/url', `the repository URL must use https; found '${url}'`));
    }
    const subfolder = stringAt(repository, 'subfolder');
    if (subfolder !== undefined && !isCleanRelativePath(subfolder)) {
      out.push(error('repository/subfolder', '/repository/subfolder', `'${subfolder}' must be a clean path relative to the repository root, like src/weather (no leading '/', no '..')`));
    }
    return out;
  },
};

export const websiteRules: Rule = {
  codes: ['website/not-https'],
  check(doc) {
    const url = stringAt(doc, 'websiteUrl');
    const protocol = url === undefined ? undefined : protocolOf(url);
    return protocol !== undefined && protocol !== 'https:'
      ? [error('website/not-https', '/websiteUrl', `the website URL must use https; found '${url}'`)]
      : [];
  },
};

export const iconRules: Rule = {
  codes: ['icon/not-https'],
  check(doc) {
    return recordsAt(doc, 'icons').flatMap((icon, i) => {
      const src = stringAt(icon, 'src');
      const protocol = src === undefined ? undefined : protocolOf(src);
      return protocol !== undefined && protocol !== 'https:'
        ? [error('icon/not-https', `/icons/${i}/src`, `icons must be https URLs (found ${protocol.replace(':', '')}); host the image and link it, do not embed it`)]
        : [];
    });
  },
};
