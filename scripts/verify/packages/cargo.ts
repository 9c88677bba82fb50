/**
 * Cargo (crates.io): the crate version's rendered README must contain `mcp-name: <server name>`,
 * as the official registry checks. crates.io answers `GET /api/v1/crates/{name}/{version}/readme`
 * (Accept: application/json) with `{"url": …}`, a pointer to the rendered HTML on its CDN
 * (static.crates.io). The CDN says 403 both for a missing version and for a crate without a
 * README, so a 403 or 404 is settled by asking `/api/v1/crates/{name}/{version}` and then
 * `/api/v1/crates/{name}`.
 */
import type { HttpClient } from '../../net/http-client.ts';
import type { Diagnostic } from '../../core/diagnostics.ts';
import { finding, unreachable } from '../finding.ts';
import { packageBase } from '../endpoint-urls.ts';
import { parseJson, readmeNamesServer } from './package-verifier.ts';
import type { PackageVerifier } from './package-verifier.ts';

/** Where crates.io serves rendered READMEs from. */
export const CRATES_STATIC_HOST = 'static.crates.io';
const CRATES_IO = 'https://crates.io';

/**
 * Whether the README pointer may be fetched: on the API's own origin, or, for the real crates.io,
 * on its CDN over https on the default port. Anything else is a response steering us elsewhere.
 */
export function readmeUrlAllowed(pointerUrl: string, base: string): boolean {
  let url: URL;
  let api: URL;
  try {
    url = new URL(pointerUrl);
    api = new URL(base);
  } catch {
    return false;
  }
  if (url.origin === api.origin) return true;
  return api.origin === CRATES_IO && url.protocol === 'https:' && url.hostname === CRATES_STATIC_HOST && url.port === '';
}

/** 200, 404, or a failure already turned into a finding. */
async function probe(http: HttpClient, url: string, what: string, pointer: string): Promise<number | Diagnostic> {
  const result = await http.send({ url, headers: { accept: 'application/json' } });
  if (!result.ok) return unreachable(what, result.failure, pointer);
  return result.response.status;
}

/** After the README could not be had: is it the version, the crate, or the README that is missing? */
async function missingWhat(http: HttpClient, base: string, id: string, version: string, pointer: string, serverName: string): Promise<Diagnostic> {
  const versionUrl = `${base}/api/v1/crates/${encodeURIComponent(id)}/${encodeURIComponent(version)}`;
  const versionStatus = await probe(http, versionUrl, `crates.io crate ${id}`, pointer);
  if (typeof versionStatus !== 'number') return versionStatus;
  if (versionStatus === 200) {
    return finding(
      'cargo-mcp-name-missing',
      `${id} ${version} is on crates.io but has no rendered README; add a README containing "mcp-name: ${serverName}" (readme = "README.md" in Cargo.toml) and publish a new version`,
      `${pointer}/identifier`,
    );
  }
  if (versionStatus !== 404) return finding('service-unreachable', `GET ${versionUrl} → ${versionStatus}; try again later`, pointer);
  const crateUrl = `${base}/api/v1/crates/${encodeURIComponent(id)}`;
  const crateStatus = await probe(http, crateUrl, `crates.io crate ${id}`, pointer);
  if (typeof crateStatus !== 'number') return crateStatus;
  if (crateStatus === 404) {
    return finding(
      'package-version-missing',
      `crates.io has no crate ${id} (GET ${crateUrl} → 404); cargo publish it first, or fix the identifier`,
      `${pointer}/identifier`,
    );
  }
  if (crateStatus !== 200) return finding('service-unreachable', `GET ${crateUrl} → ${crateStatus}; try again later`, pointer);
  return finding(
    'package-version-missing',
    `crates.io has no version ${version} of ${id} (GET ${versionUrl} → 404); cargo publish it first, or fix the version`,
    `${pointer}/version`,
  );
}

export const cargoVerifier: PackageVerifier = {
  registryType: 'cargo',
  async verify({ pkg, serverName, pointer }, { http, endpoints }) {
    const base = packageBase('cargo', pkg.registryBaseUrl, endpoints);
    const id = pkg.identifier;
    const version = pkg.version ?? '';
    const metaUrl = `${base}/api/v1/crates/${encodeURIComponent(id)}/${encodeURIComponent(version)}/readme`;
    const meta = await http.send({ url: metaUrl, headers: { accept: 'application/json' } });
    if (!meta.ok) return [unreachable(`crates.io README of ${id}`, meta.failure, pointer)];
    if (meta.response.status === 404 || meta.response.status === 403) return [await missingWhat(http, base, id, version, pointer, serverName)];
    if (meta.response.status !== 200) return [finding('service-unreachable', `GET ${metaUrl} → ${meta.response.status}; try again later`, pointer)];
    const readmeUrl = (parseJson(meta.response.body) as { url?: unknown } | undefined)?.url;
    if (typeof readmeUrl !== 'string' || readmeUrl === '') {
      return [finding('service-unreachable', `GET ${metaUrl} answered without the README's 'url'; try again later`, pointer)];
    }
    if (!readmeUrlAllowed(readmeUrl, base)) {
      return [finding('url-refused', `crates.io pointed the README of ${id} at ${readmeUrl}, outside ${base} and ${CRATES_STATIC_HOST}; not fetched`, pointer)];
    }
    const readme = await http.send({ url: readmeUrl, headers: { accept: 'text/html' } });
    if (!readme.ok) return [unreachable(`crates.io README of ${id}`, readme.failure, pointer)];
    const { status, body } = readme.response;
    if (status === 403 || status === 404) return [await missingWhat(http, base, id, version, pointer, serverName)];
    if (status !== 200) return [finding('service-unreachable', `GET ${readmeUrl} → ${status}; try again later`, pointer)];
    if (!readmeNamesServer(body.toString('utf8'), serverName)) {
      return [
        finding(
          'cargo-mcp-name-missing',
          `the README of ${id} ${version} on crates.io does not contain "mcp-name: ${serverName}"; add that line as visible text (crates.io drops HTML comments) and publish a new version`,
          `${pointer}/identifier`,
        ),
      ];
    }
    return [];
  },
};
