/**
 * The page of a package on its own registry, for the link on a server page (pure): npmjs.com,
 * pypi.org, nuget.org, crates.io, the image registry, the MCPB file's release. Only official
 * public registries get a link: a package on a private `registryBaseUrl` has no public page.
 */
import { DOCKER_HUB, downloadUrl, ociSource } from '../core/package-source.ts';

export interface PackageLink {
  /** Where the link goes, in words: `npmjs.com`, `Docker Hub`, `GitHub release`. */
  site: string;
  url: string;
}

export interface PackageRef {
  registryType: string;
  identifier: string;
  version: string;
  registryBaseUrl?: string;
}

const enc = encodeURIComponent;

function publicBase(pkg: PackageRef, official: string): boolean {
  const base = pkg.registryBaseUrl?.replace(/\/+$/, '');
  return base === undefined || base === '' || base === official;
}

/** `@scope/name` stays one path: npm's own URLs keep the slash of a scoped name. */
function npmPath(identifier: string): string | undefined {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(identifier)) return undefined;
  return identifier
    .split('/')
    .map((part) => (part.startsWith('@') ? `@${enc(part.slice(1))}` : enc(part)))
    .join('/');
}

const SIMPLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+_-]*$/;

function versioned(version: string, path: (v: string) => string): string {
  return version !== '' && version !== 'latest' && VERSION.test(version) ? path(enc(version)) : '';
}

function ociLink(pkg: PackageRef): PackageLink | undefined {
  const source = ociSource(pkg.identifier, pkg.registryBaseUrl);
  if (!source.ok) return undefined;
  const { registry, repository } = source.value;
  if (registry === DOCKER_HUB) {
    const official = repository.startsWith('library/');
    return { site: 'Docker Hub', url: official ? `https://hub.docker.com/_/${repository.slice(8)}` : `https://hub.docker.com/r/${repository}` };
  }
  if (registry === 'ghcr.io') {
    const [owner, ...rest] = repository.split('/');
    // GitHub's package page; ghcr.io itself answers browsers with a redirect there.
    return rest.length > 0 ? { site: 'GitHub Packages', url: `https://github.com/${owner}/${rest[0]}/pkgs/container/${rest.join('%2F')}` } : undefined;
  }
  if (registry === 'quay.io') return { site: 'Quay', url: `https://quay.io/repository/${repository}` };
  if (registry.endsWith('.pkg.dev') || registry === 'gcr.io' || registry.endsWith('.gcr.io'))
    return { site: registry, url: `https://${registry}/${repository}` };
  if (registry === 'mcr.microsoft.com') return { site: 'Microsoft Artifact Registry', url: `https://mcr.microsoft.com/artifact/mar/${repository}` };
  if (registry === 'public.ecr.aws') return { site: 'Amazon ECR Public Gallery', url: `https://gallery.ecr.aws/${repository}` };
  return undefined;
}

function mcpbLink(pkg: PackageRef): PackageLink | undefined {
  const url = downloadUrl(pkg.identifier);
  if (url === undefined || url.username !== '' || url.password !== '') return undefined;
  // github.com/<owner>/<repo>/releases/download/<tag>/<file> → the release's own page.
  const m = url.hostname === 'github.com' ? /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/[^/]+$/.exec(url.pathname) : null;
  if (m) return { site: 'GitHub release', url: `https://github.com/${m[1]}/${m[2]}/releases/tag/${m[3]}` };
  return { site: url.hostname, url: url.href };
}

/** Pure: the package's page on its registry, or undefined when there is no public one. */
export function packageLink(pkg: PackageRef): PackageLink | undefined {
  const id = pkg.identifier;
  switch (pkg.registryType) {
    case 'npm': {
      const path = npmPath(id);
      if (path === undefined || !publicBase(pkg, 'https://registry.npmjs.org')) return undefined;
      return { site: 'npmjs.com', url: `https://www.npmjs.com/package/${path}${versioned(pkg.version, (v) => `/v/${v}`)}` };
    }
    case 'pypi':
      if (!SIMPLE_NAME.test(id) || !publicBase(pkg, 'https://pypi.org')) return undefined;
      return { site: 'pypi.org', url: `https://pypi.org/project/${enc(id)}/${versioned(pkg.version, (v) => `${v}/`)}` };
    case 'nuget':
      if (!SIMPLE_NAME.test(id) || !publicBase(pkg, 'https://api.nuget.org/v3/index.json')) return undefined;
      return { site: 'nuget.org', url: `https://www.nuget.org/packages/${enc(id)}${versioned(pkg.version, (v) => `/${v}`)}` };
    case 'cargo':
      if (!SIMPLE_NAME.test(id) || !publicBase(pkg, 'https://crates.io')) return undefined;
      return { site: 'crates.io', url: `https://crates.io/crates/${enc(id)}${versioned(pkg.version, (v) => `/${v}`)}` };
    case 'oci':
      return ociLink(pkg);
    case 'mcpb':
      return mcpbLink(pkg);
    default:
      return undefined;
  }
}
