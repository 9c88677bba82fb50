/** Packages, per registryType: identifier shape, exact version, allowed registry, integrity for downloads. */
import { baseUrlAllowed, downloadUrl, hostAllowed, ociSource } from '../../core/package-source.ts';
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
    const source = ociSource(identifier, baseUrl);
    if (!source.ok && source.problem === 'invalid') {
      out.push(error('package/identifier', at('identifier'), `'${identifier}' is not an OCI image reference; expected [registry/]namespace/image:tag, in lower case`));
    } else if (!source.ok && source.problem === 'mismatch') {
      out.push(error('package/oci-registry-mismatch', at('registryBaseUrl'), `the identifier names the registry ${source.named}, but registryBaseUrl says ${source.declared}; the image is pulled from the identifier's registry, so remove registryBaseUrl (or make it name ${source.named})`));
    } else if (source.ok) {
      // The registry checked here is the one verification contacts (core/package-source.ts).
      if (!hostAllowed(source.ref.registry, allowed)) {
        out.push(error('package/registry-not-allowed', at('identifier'), `OCI images must come from ${allowed.join(', ')}; '${source.ref.registry}' is not allowed by this registry`));
      }
      if (!source.ref.tag && !source.ref.digest && version === undefined) {
        out.push(error('package/oci-tag-required', at('identifier'), `name the exact image: add a tag or digest, like ${identifier}:1.2.3`));
      }
    }
  }
  if (type === 'mcpb') {
    const url = downloadUrl(identifier);
    if (!url) {
      out.push(error('package/mcpb-url', at('identifier'), 'an MCPB identifier is the https download URL of the .mcpb file, like https://github.com/owner/repo/releases/download/v1.0.0/server.mcpb'));
    } else if (!hostAllowed(url.host, allowed)) {
      out.push(error('package/registry-not-allowed', at('identifier'), `MCPB files must be downloaded from ${allowed.join(' or ')}; '${url.host}' is not allowed by this registry`));
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
    'package/oci-registry-mismatch',
    'package/oci-tag-required',
    'package/mcpb-url',
    'package/sha256-required',
    'package/runtime-hint-missing',
  ],
  check(doc, { config }) {
    return recordsAt(doc, 'packages').flatMap((pkg, i) => checkPackage(pkg, i, config.allowedRegistries));
  },
};
