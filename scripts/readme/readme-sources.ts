/**
 * Where a server version's README can be had, best first, and how each answer is read (pure):
 * its packages' own registries (npm's packument `readme`, PyPI's Markdown description, NuGet's
 * packed README), then its GitHub repository (the README GitHub shows, or the subfolder's).
 * Base URLs come from the registry's configured endpoints, as for `verify`.
 */
import type { Endpoints } from '../config/registry-config.ts';
import type { ServerJson } from '../core/api-types.ts';
import { isRecord } from '../core/is-record.ts';
import { nugetOrigin } from '../verify/packages/nuget.ts';
import { packageBase } from '../verify/endpoint-urls.ts';
import type { ReadmeOrigin } from './readme-file.ts';

export interface ReadmeRequest {
  from: ReadmeOrigin;
  url: string;
  headers: Record<string, string>;
  /** The page people read the README on. */
  source: string;
  /** The README's Markdown from a 200 answer's body, or undefined when it has none. */
  read(body: string): string | undefined;
}

function json(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const usable = (text: unknown): string | undefined => (typeof text === 'string' && text.trim() !== '' ? text : undefined);

/** npm writes this placeholder when a package was published without one. */
const NPM_NO_README = /^ERROR: No README data found!?\s*$/;

const GITHUB_REPO = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/;

export function readmeRequests(server: ServerJson, endpoints: Endpoints): ReadmeRequest[] {
  const out: ReadmeRequest[] = [];
  for (const pkg of server.packages ?? []) {
    const id = pkg.identifier;
    const version = pkg.version ?? '';
    if (typeof id !== 'string' || id === '') continue;
    if (pkg.registryType === 'npm') {
      const base = packageBase('npm', pkg.registryBaseUrl, endpoints);
      out.push({
        from: 'npm',
        url: `${base}/${id.startsWith('@') ? `@${encodeURIComponent(id.slice(1))}` : encodeURIComponent(id)}`,
        headers: { accept: 'application/json' },
        source: `https://www.npmjs.com/package/${id}`,
        read: (body) => {
          const doc = json(body);
          const text = isRecord(doc) ? usable(doc.readme) : undefined;
          return text === undefined || NPM_NO_README.test(text) ? undefined : text;
        },
      });
    } else if (pkg.registryType === 'pypi' && version !== '') {
      const base = packageBase('pypi', pkg.registryBaseUrl, endpoints);
      out.push({
        from: 'pypi',
        url: `${base}/pypi/${encodeURIComponent(id)}/${encodeURIComponent(version)}/json`,
        headers: { accept: 'application/json' },
        source: `https://pypi.org/project/${encodeURIComponent(id)}/${encodeURIComponent(version)}/`,
        read: (body) => {
          const doc = json(body);
          const info = isRecord(doc) && isRecord(doc.info) ? doc.info : undefined;
          // Only Markdown: reStructuredText or plain text would render wrongly; the repository's README is tried next.
          const type = typeof info?.description_content_type === 'string' ? info.description_content_type.toLowerCase() : '';
          return type.startsWith('text/markdown') ? usable(info?.description) : undefined;
        },
      });
    } else if (pkg.registryType === 'nuget' && version !== '') {
      const origin = nugetOrigin(packageBase('nuget', pkg.registryBaseUrl, endpoints));
      out.push({
        from: 'nuget',
        url: `${origin}/v3-flatcontainer/${encodeURIComponent(id.toLowerCase())}/${encodeURIComponent(version.toLowerCase())}/readme`,
        headers: {},
        source: `https://www.nuget.org/packages/${encodeURIComponent(id)}/${encodeURIComponent(version)}`,
        read: usable,
      });
    }
  }
  const repo = GITHUB_REPO.exec(server.repository?.url ?? '');
  if (repo) {
    const [, owner, name] = repo as unknown as [string, string, string];
    const subfolder = (server.repository?.subfolder ?? '').replace(/^\/+|\/+$/g, '');
    const api = endpoints.github.replace(/\/+$/, '');
    const path = subfolder === '' ? '' : `/${subfolder.split('/').map(encodeURIComponent).join('/')}`;
    out.push({
      from: 'github',
      url: `${api}/repos/${owner}/${name}/readme${path}`,
      headers: { accept: 'application/vnd.github.raw+json', 'x-github-api-version': '2022-11-28' },
      source: `https://github.com/${owner}/${name}${subfolder === '' ? '' : `/tree/HEAD${path}`}`,
      read: usable,
    });
  }
  return out;
}
