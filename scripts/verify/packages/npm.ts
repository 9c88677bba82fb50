/** npm: the version's package.json must carry `"mcpName": "<server name>"`. */
import { finding, unreachable } from '../finding.ts';
import { packageBase } from '../endpoint-urls.ts';
import { parseJson } from './package-verifier.ts';
import type { PackageVerifier } from './package-verifier.ts';

/** `@scope/name` → `@scope%2fname`, the form registries route on. */
export function npmPackagePath(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

export const npmVerifier: PackageVerifier = {
  registryType: 'npm',
  async verify({ pkg, serverName, pointer }, { http, endpoints }) {
    const base = packageBase('npm', pkg.registryBaseUrl, endpoints);
    const version = pkg.version ?? '';
    const url = `${base}/${npmPackagePath(pkg.identifier)}/${encodeURIComponent(version)}`;
    const result = await http.send({ url, headers: { accept: 'application/json' } });
    if (!result.ok) return [unreachable(`npm package ${pkg.identifier}`, result.failure, pointer)];
    const { status, body } = result.response;
    if (status === 404) {
      return [
        finding(
          'package-version-missing',
          `npm has no ${pkg.identifier}@${version} (GET ${url} → 404); publish it first, or fix identifier and version`,
          `${pointer}/version`,
        ),
      ];
    }
    if (status !== 200) return [finding('service-unreachable', `GET ${url} → ${status}; try again later`, pointer)];
    const manifest = parseJson(body) as { mcpName?: unknown } | undefined;
    if (manifest === undefined || typeof manifest !== 'object') {
      return [finding('service-unreachable', `GET ${url} did not answer a JSON package manifest`, pointer)];
    }
    if (manifest.mcpName === undefined || manifest.mcpName === '') {
      return [
        finding(
          'npm-mcpname-missing',
          `${pkg.identifier}@${version}'s package.json has no "mcpName"; add "mcpName": "${serverName}" and publish a new version`,
          `${pointer}/identifier`,
        ),
      ];
    }
    if (typeof manifest.mcpName !== 'string' || manifest.mcpName !== serverName) {
      return [
        finding(
          'npm-mcpname-mismatch',
          `${pkg.identifier}@${version}'s package.json says "mcpName": ${JSON.stringify(manifest.mcpName)}, not "${serverName}"; only the server it names may list it`,
          `${pointer}/identifier`,
        ),
      ];
    }
    return [];
  },
};
