/** PyPI: the release's description (README) must contain `mcp-name: <server name>`. */
import { finding, unreachable } from '../finding.ts';
import { packageBase } from '../endpoint-urls.ts';
import { parseJson, readmeNamesServer } from './package-verifier.ts';
import type { PackageVerifier } from './package-verifier.ts';

export const pypiVerifier: PackageVerifier = {
  registryType: 'pypi',
  async verify({ pkg, serverName, pointer }, { http, endpoints }) {
    const base = packageBase('pypi', pkg.registryBaseUrl, endpoints);
    const version = pkg.version ?? '';
    const url = `${base}/pypi/${encodeURIComponent(pkg.identifier)}/${encodeURIComponent(version)}/json`;
    const result = await http.send({ url, headers: { accept: 'application/json' } });
    if (!result.ok) return [unreachable(`PyPI package ${pkg.identifier}`, result.failure, pointer)];
    const { status, body } = result.response;
    if (status === 404) {
      return [
        finding(
          'package-version-missing',
          `PyPI has no ${pkg.identifier} ${version} (GET ${url} → 404); upload it first, or fix identifier and version`,
          `${pointer}/version`,
        ),
      ];
    }
    if (status !== 200) return [finding('service-unreachable', `GET ${url} → ${status}; try again later`, pointer)];
    const data = parseJson(body) as { info?: { description?: unknown } } | undefined;
    const description = data?.info?.description;
    if (typeof description !== 'string' || !readmeNamesServer(description, serverName)) {
      return [
        finding(
          'pypi-mcp-name-missing',
          `the README of ${pkg.identifier} ${version} on PyPI does not contain "mcp-name: ${serverName}"; add that line (visible, not in an HTML comment) and upload a new release`,
          `${pointer}/identifier`,
        ),
      ];
    }
    return [];
  },
};
