/** Packages, per registryType: identifier shape, exact version, allowed registry, integrity for downloads. */
import { looksLikeRange } from '../../core/semver.ts';
import { error, recordsAt, stringAt, warning } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';

const IDENTIFIER: Record<string, { pattern: RegExp; example: string }> = {
  npm: { pattern: /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, example: '@scope/name or name (lower case)' },
  pypi: { pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, example: 'my-mcp-server' },
  nuget: { pattern: /^[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*$/, example: 'Company.McpServer' },
};

/** Types whose version is a separate field (OCI carries it in the tag, MCPB in the URL). */
const VERSIONED_TYPES = new Set(['npm', 'pypi', 'nuget']);

export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase();
  return allowed.some((entry) => {
    const a = entry.toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    return a.startsWith('*.') ? h.endsWith(a.slice(1)) : h === a;
  });
}

function baseUrlAllowed(baseUrl: string, allowed: readonly string[]): boolean {
  const normalized = baseUrl.replace(/\/+$/, '');
  return allowed.some((a) => a.replace(/\/+$/, '') === normalized);
}

export interface OciReference {
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseOciReference(identifier: string): OciReference | undefined {
  const m = /^(?:([a-zA-Z0-9.-]+(?::\d+)?)\/)?([a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(identifier);
  if (!m) return undefined;
  let host = m[1];
  let repository = m[2]!;
  // A first component without '.' or ':' is a Docker Hub namespace, not a host.
  if (host !== undefined && !host.includes('.') && !host.includes(':') && host !== 'localhost') {
    repository = `${host}/${repository}`;
    host = undefined;
  }
  return { host: host ?? 'docker.io', repository, tag: m[3], digest: m[4] };
}

function checkPackage(pkg: Record<string, unknown>, i: number, allowedRegistries: Record<string, string[]>): Finding[] {
  const out: Finding[] = [];
  const at = (field: string) => `/packages/${i}${field ? `/${field}` : ''}`;
  const type = stringAt(pkg, 'registryType');
  const identifier = stringAt(pkg, 'identifier');
  const version = stringAt(pkg, 'version');
  const baseUrl = stringAt(pkg, 'registryBaseUrl');
  if (type === undefined || identifier === undefined) return out;
  // Own keys only: registryType comes from the file, and 'constructor' or '__proto__' would
  // otherwise find Object.prototype's members.
  const allowed = Object.hasOwn(allowedRegistries, type) ? allowedRegistries[type] : undefined;
  if (allowed === undefined) {
    out.push(error('package/unknown-type', at('registryType'), `registryType '${type}' is not accepted here; use one of ${Object.keys(allowedRegistries).join(', ')}`));
    return out;
  }
  const shape = Object.hasOwn(IDENTIFIER, type) ? IDENTIFIER[type] : undefined;
  if (shape && !shape.pattern.test(identifier)) {
    out.push(error('package/identifier', at('identifier'), `'${identifier}' is not a valid ${type} package name; expected ${shape.example}`));
  }
  if (version !== undefined) {
    if (version.toLowerCase() === 'latest') {
      out.push(error('package/version-latest', at('version'), "'latest' is not a package version; give the exact version this server release runs"));
    } else if (looksLikeRange(version)) {
      out.push(error('package/version-range', at('version'), `'${version}' is a version range; give one exact package version`));
    }
  } else if (VERSIONED_TYPES.has(type)) {
    out.push(error('package/version-required', at(''), `${type} packages need a 'version': the exact package version this server release runs`));
  }
  if (baseUrl !== undefined && VERSIONED_TYPES.has(type) && !baseUrlAllowed(baseUrl, allowed)) {
    out.push(error('package/registry-not-allowed', at('registryBaseUrl'), `${type} packages must come from ${allowed.join(' or ')}; '${baseUrl}' is not allowed by this registry: set registryBaseUrl to ${allowed[0] ?? 'an allowed base'} (to check a package on a local or staging registry, use \`mcp-registry verify --endpoint ${type}=URL\` instead)`));
  }
  if (type === 'oci') {
    const ref = parseOciReference(identifier);
    if (!ref) {
      out.push(error('package/identifier', at('identifier'), `'${identifier}' is not an OCI image reference; expected [registry/]namespace/image:tag, in lower case`));
    } else {
      const host = baseUrl ? baseUrl.replace(/^https?:\/\//, '').replace(/\/.*$/, '') : ref.host;
      if (!hostAllowed(host, allowed)) {
        out.push(error('package/registry-not-allowed', at('identifier'), `OCI images must come from ${allowed.join(', ')}; '${host}' is not allowed by this registry`));
      }
      if (!ref.tag && !ref.digest && version === undefined) {
        out.push(error('package/oci-tag-required', at('identifier'), `name the exact image: add a tag or digest, like ${identifier}:1.2.3`));
      }
    }
  }
  if (type === 'mcpb') {
    let url: URL | undefined;
    try {
      url = new URL(identifier);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:') {
      out.push(error('package/mcpb-url', at('identifier'), 'an MCPB identifier is the https download URL of the .mcpb file, like https://github.com/owner/repo/releases/download/v1.0.0/server.mcpb'));
    } else if (!hostAllowed(url.hostname, allowed)) {
      out.push(error('package/registry-not-allowed', at('identifier'), `MCPB files must be downloaded from ${allowed.join(' or ')}; '${url.hostname}' is not allowed by this registry`));
    }
    if (stringAt(pkg, 'fileSha256') === undefined) {
      out.push(error('package/sha256-required', at(''), "MCPB packages need 'fileSha256', the SHA-256 of the file (sha256sum server.mcpb), so clients can check the download"));
    }
  }
  if (recordsAt(pkg, 'runtimeArguments').length > 0 && stringAt(pkg, 'runtimeHint') === undefined) {
    out.push(warning('package/runtime-hint-missing', at('runtimeArguments'), "runtimeArguments are given without 'runtimeHint'; add the runtime they are for (npx, uvx, docker, dnx)"));
  }
  return out;
}

export const packageRules: Rule = {
  codes: [
    'package/unknown-type',
    'package/identifier',
    'package/version-latest',
    'package/version-range',
    'package/version-required',
    'package/registry-not-allowed',
    'package/oci-tag-required',
    'package/mcpb-url',
    'package/sha256-required',
    'package/runtime-hint-missing',
  ],
  check(doc, { config }) {
    return recordsAt(doc, 'packages').flatMap((pkg, i) => checkPackage(pkg, i, config.allowedRegistries));
  },
};
