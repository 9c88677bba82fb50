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

/**
 * Repository URLs the official registry accepts per source: a GitHub `owner/repo`, a GitLab project
 * under any depth of groups; `www.` hosts and a trailing slash are fine.
 */
const FORGE_URL: Record<string, { pattern: RegExp; example: string }> = {
  github: { pattern: /^https?:\/\/(?:www\.)?github\.com\/[\w.-]+\/[\w.-]+\/?$/, example: 'https://github.com/<owner>/<repo>' },
  gitlab: { pattern: /^https?:\/\/(?:www\.)?gitlab\.com\/[\w.-]+(?:\/[\w.-]+)+\/?$/, example: 'https://gitlab.com/<group>/<project>' },
};

const SUBFOLDER_CHARS = /^[A-Za-z0-9._/-]+$/;

/** A clean relative path: no leading or trailing '/', no '.', '..' or empty segments, only [A-Za-z0-9._/-]. */
export function isCleanRelativePath(path: string): boolean {
  if (!SUBFOLDER_CHARS.test(path) || path.startsWith('/') || path.endsWith('/')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export const repositoryRules = {
  codes: ['repository/source', 'repository/url', 'repository/subfolder'] as const,
  check(doc): Finding[] {
    const repository = doc.repository;
    if (!isRecord(repository)) return [];
    const out: Finding[] = [];
    const url = stringAt(repository, 'url') ?? '';
    const source = stringAt(repository, 'source') ?? '';
    if (url === '' && source === '') return out; // the empty repository has its own warning
    const forge = Object.hasOwn(FORGE_URL, source) ? FORGE_URL[source] : undefined;
    if (forge === undefined) {
      out.push(
        error(
          'repository/source',
          '/repository/source',
          `the repository source '${source}' is not one the registry can link to; use 'github' or 'gitlab', or leave the repository out`,
        ),
      );
    } else if (!forge.pattern.test(url)) {
      out.push(error('repository/url', '/repository/url', `a ${source} repository URL looks like ${forge.example}; found '${url}'`));
    }
    const subfolder = stringAt(repository, 'subfolder');
    if (subfolder !== undefined && subfolder !== '' && !isCleanRelativePath(subfolder)) {
      out.push(
        error(
          'repository/subfolder',
          '/repository/subfolder',
          `'${subfolder}' must be a clean path relative to the repository root, like src/weather: letters, digits, '.', '_', '-' and '/', no leading or trailing '/', no '..'`,
        ),
      );
    }
    return out;
  },
} satisfies Rule;

export const titleRules = {
  codes: ['title/blank'] as const,
  check(doc): Finding[] {
    const title = stringAt(doc, 'title');
    return title !== undefined && title !== '' && title.trim() === ''
      ? [error('title/blank', '/title', 'the title is only whitespace; give the name people should see, like Weather, or leave title out')]
      : [];
  },
} satisfies Rule;

/** Characters the official registry refuses in a website URL unencoded: they break out of HTML attributes and Markdown links. */
const UNSAFE_URL_CHARACTER = /["'<>\s]/;

export const websiteRules = {
  codes: ['website/not-https', 'website/invalid-character'] as const,
  check(doc): Finding[] {
    const url = stringAt(doc, 'websiteUrl');
    if (url === undefined) return [];
    const out: Finding[] = [];
    const unsafe = UNSAFE_URL_CHARACTER.exec(url)?.[0];
    if (unsafe !== undefined) {
      out.push(
        error(
          'website/invalid-character',
          '/websiteUrl',
          `the website URL contains ${JSON.stringify(unsafe)}; percent-encode it (${encodeURIComponent(unsafe)})`,
        ),
      );
    }
    const protocol = protocolOf(url);
    if (protocol !== undefined && protocol !== 'https:') out.push(error('website/not-https', '/websiteUrl', `the website URL must use https; found '${url}'`));
    return out;
  },
} satisfies Rule;

export const iconRules = {
  codes: ['icon/not-https'] as const,
  check(doc): Finding[] {
    return recordsAt(doc, 'icons').flatMap((icon, i) => {
      const src = stringAt(icon, 'src');
      const protocol = src === undefined ? undefined : protocolOf(src);
      return protocol !== undefined && protocol !== 'https:'
        ? [
            error(
              'icon/not-https',
              `/icons/${i}/src`,
              `icons must be https URLs (found ${protocol.replace(':', '')}); host the image and link it, do not embed it`,
            ),
          ]
        : [];
    });
  },
} satisfies Rule;
