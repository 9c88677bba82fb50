/** Packages, per registryType: identifier shape, exact version, allowed registry, integrity for downloads. */
import { downloadUrl, hostAllowed, ociSource } from '../../core/package-source.ts';
import { error, recordsAt, stringAt, strictError, warning } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';
import { versionProblem } from './version.ts';

/** Ours: the names each registry itself accepts (the official registry only refuses spaces, then asks the registry). */
const IDENTIFIER: Record<string, { pattern: RegExp; example: string }> = {
  npm: { pattern: /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, example: '@scope/name or name (lower case)' },
  pypi: { pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, example: 'my-mcp-server' },
  nuget: { pattern: /^[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*$/, example: 'Company.McpServer' },
  cargo: { pattern: /^[A-Za-z][A-Za-z0-9_-]{0,63}$/, example: 'weather-mcp (a crate name)' },
};

/** Types that name a package in a registry by identifier and a separate version; registryBaseUrl may only name that registry. */
const VERSIONED_TYPES = new Set(['npm', 'pypi', 'nuget', 'cargo']);
/** Types whose identifier says where the bytes are, so registryBaseUrl has nothing to add. */
const LOCATED_TYPES = new Set(['oci', 'mcpb']);

/** Release-asset paths the official registry accepts for MCPB downloads on the two forges. */
const RELEASE_ASSET: Record<'github' | 'gitlab', RegExp[]> = {
  github: [/^\/[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,37}[a-zA-Z0-9])?\/[a-zA-Z0-9._-]+\/releases\/download\/[^/]+\/[^/]+$/],
  gitlab: [
    /^\/[a-zA-Z0-9._-]+(?:\/[a-zA-Z0-9._-]+)*\/-\/releases\/[^/]+\/downloads\/[^/]+$/,
    /^\/[a-zA-Z0-9._-]+(?:\/[a-zA-Z0-9._-]+)*\/-\/package_files\/\d+\/download$/,
  ],
};

function forgeOf(host: string): 'github' | 'gitlab' | undefined {
  const h = host.toLowerCase().replace(/^www\./, '');
  return h === 'github.com' ? 'github' : h === 'gitlab.com' ? 'gitlab' : undefined;
}

function checkOci(pkg: Record<string, unknown>, identifier: string, at: (field: string) => string, allowed: string[]): Finding[] {
  const baseUrl = stringAt(pkg, 'registryBaseUrl');
  const source = ociSource(identifier, baseUrl);
  if (!source.ok) {
    const problem = source.error;
    if (problem.problem === 'invalid') {
      return [
        error('package/identifier', at('identifier'), `'${identifier}' is not an OCI image reference; expected registry/namespace/image:tag, in lower case`),
      ];
    }
    return [
      error(
        'package/oci-registry-mismatch',
        at('registryBaseUrl'),
        `the identifier names the registry ${problem.named}, but registryBaseUrl says ${problem.declared}; the image is pulled from the identifier's registry, so remove registryBaseUrl`,
      ),
    ];
  }
  const out: Finding[] = [];
  // The registry checked here is the one verification contacts (core/package-source.ts).
  if (!hostAllowed(source.value.registry, allowed)) {
    out.push(
      error(
        'package/registry-not-allowed',
        at('identifier'),
        `OCI images must come from ${allowed.join(', ')}; '${source.value.registry}' is not allowed by this registry`,
      ),
    );
  }
  if (!source.value.tag && !source.value.digest) {
    out.push(
      strictError(
        'package/oci-tag-required',
        at('identifier'),
        `name the exact image: add a tag or digest, like ${identifier}:1.2.3 (without one, clients pull whatever 'latest' is that day)`,
      ),
    );
  }
  return out;
}

function checkMcpb(pkg: Record<string, unknown>, identifier: string, at: (field: string) => string, allowed: string[]): Finding[] {
  const out: Finding[] = [];
  const url = downloadUrl(identifier);
  if (!url) {
    out.push(
      error(
        'package/mcpb-url',
        at('identifier'),
        'an MCPB identifier is the https download URL of the .mcpb file, like https://github.com/owner/repo/releases/download/v1.0.0/server.mcpb',
      ),
    );
  } else if (!hostAllowed(url.host, allowed)) {
    out.push(
      error(
        'package/registry-not-allowed',
        at('identifier'),
        `MCPB files must be downloaded from ${allowed.join(' or ')}; '${url.host}' is not allowed by this registry`,
      ),
    );
  } else {
    const forge = forgeOf(url.host);
    if (forge && !RELEASE_ASSET[forge].some((shape) => shape.test(url.pathname))) {
      const example = forge === 'github' ? '/<owner>/<repo>/releases/download/<tag>/<file>' : '/<group>/<project>/-/releases/<tag>/downloads/<file>';
      out.push(error('package/mcpb-url', at('identifier'), `an MCPB file on ${url.host} must be a release asset, ${example}; found ${url.pathname}`));
    }
  }
  if (!identifier.toLowerCase().includes('mcp')) {
    out.push(
      error(
        'package/mcpb-name',
        at('identifier'),
        "the MCPB download URL must contain 'mcp' (in the repository or file name, like weather-mcp.mcpb), as the official registry requires",
      ),
    );
  }
  if (stringAt(pkg, 'fileSha256') === undefined) {
    out.push(
      error(
        'package/sha256-required',
        at(''),
        "MCPB packages need 'fileSha256', the SHA-256 of the file (sha256sum server.mcpb), so clients can check the download",
      ),
    );
  }
  return out;
}

function checkPackage(pkg: Record<string, unknown>, i: number, allowedRegistries: Record<string, string[]>): Finding[] {
  const out: Finding[] = [];
  const at = (field: string) => `/packages/${i}${field ? `/${field}` : ''}`;
  const type = stringAt(pkg, 'registryType');
  const identifier = stringAt(pkg, 'identifier');
  const version = stringAt(pkg, 'version');
  const baseUrl = stringAt(pkg, 'registryBaseUrl');
  if (type === undefined || identifier === undefined) return out;
  if (identifier.includes(' ')) {
    out.push(error('package/identifier', at('identifier'), `'${identifier}' contains a space; a package identifier never does`));
  }
  // Own keys only: registryType comes from the file, and 'constructor' or '__proto__' would
  // otherwise find Object.prototype's members.
  const allowed = Object.hasOwn(allowedRegistries, type) ? allowedRegistries[type] : undefined;
  if (allowed === undefined) {
    out.push(
      error('package/unknown-type', at('registryType'), `registryType '${type}' is not accepted here; use one of ${Object.keys(allowedRegistries).join(', ')}`),
    );
    return out;
  }
  const shape = Object.hasOwn(IDENTIFIER, type) ? IDENTIFIER[type] : undefined;
  if (shape && !identifier.includes(' ') && !shape.pattern.test(identifier)) {
    out.push(strictError('package/identifier', at('identifier'), `'${identifier}' is not a valid ${type} package name; expected ${shape.example}`));
  }
  if (version !== undefined) {
    const problem = versionProblem(version);
    if (problem === 'latest') {
      out.push(error('package/version-latest', at('version'), "'latest' is not a package version; give the exact version this server release runs"));
    } else if (problem === 'range') {
      out.push(error('package/version-range', at('version'), `'${version}' is a version range; give one exact package version`));
    }
    if (type === 'oci') {
      out.push(
        error(
          'package/version-forbidden',
          at('version'),
          `OCI packages carry their version in the image tag; remove 'version' and write the tag into the identifier (${identifier.replace(/:[^/:@]*$/, '')}:${version})`,
        ),
      );
    }
  } else if (VERSIONED_TYPES.has(type)) {
    out.push(error('package/version-required', at(''), `${type} packages need a 'version': the exact package version this server release runs`));
  }
  if (type !== 'mcpb' && pkg.fileSha256 !== undefined) {
    out.push(
      error(
        'package/sha256-forbidden',
        at('fileSha256'),
        `'fileSha256' is only for MCPB downloads; ${type} packages are checked by their registry, so remove it`,
      ),
    );
  }
  if (baseUrl !== undefined && VERSIONED_TYPES.has(type) && !allowed.includes(baseUrl)) {
    out.push(
      error(
        'package/registry-not-allowed',
        at('registryBaseUrl'),
        `${type} packages must come from ${allowed.join(' or ')}; '${baseUrl}' is not allowed by this registry: set registryBaseUrl to ${allowed[0] ?? 'an allowed base'} (to check a package on a local or staging registry, use \`mcp-registry verify --endpoint ${type}=URL\` instead)`,
      ),
    );
  }
  if (baseUrl !== undefined && LOCATED_TYPES.has(type) && !(type === 'oci' && ociSource(identifier, baseUrl).ok === false)) {
    const instead =
      type === 'oci' ? 'write the registry host into the identifier (ghcr.io/owner/image:1.0.0)' : "the identifier is already the file's full download URL";
    out.push(error('package/base-url-forbidden', at('registryBaseUrl'), `${type} packages take no 'registryBaseUrl': ${instead}; remove it`));
  }
  if (type === 'oci') out.push(...checkOci(pkg, identifier, at, allowed));
  if (type === 'mcpb') out.push(...checkMcpb(pkg, identifier, at, allowed));
  if (recordsAt(pkg, 'runtimeArguments').length > 0 && stringAt(pkg, 'runtimeHint') === undefined) {
    out.push(
      warning(
        'package/runtime-hint-missing',
        at('runtimeArguments'),
        "runtimeArguments are given without 'runtimeHint'; add the runtime they are for (npx, uvx, docker, dnx)",
      ),
    );
  }
  return out;
}

export const packageRules = {
  codes: [
    'package/unknown-type',
    'package/identifier',
    'package/version-latest',
    'package/version-range',
    'package/version-required',
    'package/version-forbidden',
    'package/sha256-forbidden',
    'package/base-url-forbidden',
    'package/registry-not-allowed',
    'package/oci-registry-mismatch',
    'package/oci-tag-required',
    'package/mcpb-url',
    'package/mcpb-name',
    'package/sha256-required',
    'package/runtime-hint-missing',
  ] as const,
  check(doc, { config }): Finding[] {
    return recordsAt(doc, 'packages').flatMap((pkg, i) => checkPackage(pkg, i, config.allowedRegistries));
  },
} satisfies Rule;
