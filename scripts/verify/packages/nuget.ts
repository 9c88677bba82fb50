/**
 * NuGet: the version must be listed in the flat container, and its README must contain
 * `mcp-name: <server name>`.
 */
import { finding, unreachable } from '../finding.ts';
import { packageBase } from '../endpoint-urls.ts';
import { parseJson, readmeNamesServer } from './package-verifier.ts';
import type { PackageVerifier } from './package-verifier.ts';

/** `https://api.nuget.org/v3/index.json` → `https://api.nuget.org`, the flat container's origin. */
export function nugetOrigin(base: string): string {
  return base.replace(/\/v3\/index\.json$/, '').replace(/\/+$/, '');
}

export const nugetVerifier: PackageVerifier = {
  registryType: 'nuget',
  async verify({ pkg, serverName, pointer }, { http, endpoints }) {
    const origin = nugetOrigin(packageBase('nuget', pkg.registryBaseUrl, endpoints));
    const id = encodeURIComponent(pkg.identifier.toLowerCase());
    const version = (pkg.version ?? '').toLowerCase();
    const indexUrl = `${origin}/v3-flatcontainer/${id}/index.json`;
    const index = await http.send({ url: indexUrl });
    if (!index.ok) return [unreachable(`NuGet package ${pkg.identifier}`, index.failure, pointer)];
    if (index.response.status === 404) {
      return [
        finding(
          'package-version-missing',
          `NuGet has no package ${pkg.identifier} (GET ${indexUrl} → 404); push it first, or fix the identifier`,
          `${pointer}/identifier`,
        ),
      ];
    }
    if (index.response.status !== 200) return [finding('service-unreachable', `GET ${indexUrl} → ${index.response.status}; try again later`, pointer)];
    const versions = (parseJson(index.response.body) as { versions?: unknown } | undefined)?.versions;
    if (!Array.isArray(versions) || !versions.some((v) => typeof v === 'string' && v.toLowerCase() === version)) {
      return [
        finding('package-version-missing', `NuGet has no version ${pkg.version} of ${pkg.identifier}; push it first, or fix the version`, `${pointer}/version`),
      ];
    }
    const readmeUrl = `${origin}/v3-flatcontainer/${id}/${encodeURIComponent(version)}/readme`;
    const readme = await http.send({ url: readmeUrl });
    if (!readme.ok) return [unreachable(`NuGet README of ${pkg.identifier}`, readme.failure, pointer)];
    const text = readme.response.status === 200 ? readme.response.body.toString('utf8') : '';
    if (!readmeNamesServer(text, serverName)) {
      return [
        finding(
          'nuget-mcp-name-missing',
          `the README of ${pkg.identifier} ${pkg.version} on NuGet does not contain "mcp-name: ${serverName}"; add that line and push a new version`,
          `${pointer}/identifier`,
        ),
      ];
    }
    return [];
  },
};
