/**
 * OCI images: the image config must carry the label `io.modelcontextprotocol.server.name`.
 * Speaks the distribution API with anonymous bearer tokens (Docker Hub, GHCR); for a multi-arch
 * index every runnable platform image must carry the label.
 */
import type { Diagnostic } from '../../core/diagnostics.ts';
import { ociSource } from '../../core/package-source.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { HttpClient, HttpResponse } from '../../net/http-client.ts';
import { finding, unreachable } from '../finding.ts';
import { parseBearerChallenge, registryApiHost } from './oci-reference.ts';
import { parseJson } from './package-verifier.ts';
import type { PackageVerifier } from './package-verifier.ts';

export const OCI_NAME_LABEL = 'io.modelcontextprotocol.server.name';
const MAX_PLATFORMS = 8;

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface Descriptor {
  mediaType?: string;
  digest?: string;
  platform?: { os?: string; architecture?: string };
}

interface Manifest {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
}

/** A response of any status, or the diagnostic saying why none came. */
type Fetched = Result<HttpResponse, Diagnostic>;

/** A distribution API session for one repository: fetches a token once when challenged. */
function session(http: HttpClient, base: string, repository: string, pointer: string) {
  let token: string | undefined;
  async function get(path: string, accept?: string): Promise<Fetched> {
    const url = `${base}/v2/${repository}/${path}`;
    for (let round = 0; round < 2; round++) {
      const headers: Record<string, string> = {};
      if (accept) headers.accept = accept;
      if (token) headers.authorization = `Bearer ${token}`;
      const result = await http.send({ url, headers });
      if (!result.ok) return err(unreachable(`OCI image ${repository}`, result.failure, pointer));
      if (result.response.status !== 401 || round === 1) return ok(result.response);
      const challenge = parseBearerChallenge(result.response.headers['www-authenticate']);
      if (!challenge?.realm) return ok(result.response);
      const tokenUrl = new URL(challenge.realm);
      if (challenge.service) tokenUrl.searchParams.set('service', challenge.service);
      tokenUrl.searchParams.set('scope', challenge.scope ?? `repository:${repository}:pull`);
      const issued = await http.send({ url: tokenUrl.href });
      if (!issued.ok) return err(unreachable(`the token service of ${repository}`, issued.failure, pointer));
      const body = parseJson(issued.response.body) as { token?: unknown; access_token?: unknown } | undefined;
      const value = body?.token ?? body?.access_token;
      if (issued.response.status !== 200 || typeof value !== 'string') {
        return err(
          finding('oci-auth-failed', `GET ${tokenUrl.href} → ${issued.response.status} without a token; the image must be pullable anonymously`, pointer),
        );
      }
      token = value;
    }
    throw new Error('unreachable');
  }
  return { get };
}

export const ociVerifier: PackageVerifier = {
  registryType: 'oci',
  async verify({ pkg, serverName, pointer }, { http, endpoints }) {
    // The same reading of the identifier as validation's, so the registry asked is the one it allowed.
    const source = ociSource(pkg.identifier, pkg.registryBaseUrl);
    if (!source.ok) {
      const problem = source.error;
      if (problem.problem === 'invalid') {
        return [finding('oci-reference-invalid', `'${pkg.identifier}' is not an image reference like ghcr.io/owner/image:1.0.0`, `${pointer}/identifier`)];
      }
      return [
        finding(
          'oci-registry-mismatch',
          `${pkg.identifier} names the registry ${problem.named}, but registryBaseUrl says ${problem.declared}; nothing was fetched. Remove registryBaseUrl and keep the registry in the identifier`,
          `${pointer}/registryBaseUrl`,
        ),
      ];
    }
    const ref = source.value;
    const reference = ref.digest ?? ref.tag ?? pkg.version;
    if (!reference)
      return [finding('package-version-missing', `${pkg.identifier} names no tag or digest; add one (ghcr.io/owner/image:1.0.0)`, `${pointer}/identifier`)];
    const base = (endpoints.oci ?? `https://${registryApiHost(ref.registry)}`).replace(/\/+$/, '');
    const api = session(http, base, ref.repository, pointer);
    const name = `${ref.registry}/${ref.repository}:${reference}`;

    const top = await api.get(`manifests/${encodeURIComponent(reference)}`, MANIFEST_ACCEPT);
    if (!top.ok) return [top.error];
    if (top.value.status === 404)
      return [finding('package-version-missing', `${name} does not exist in the registry; push it first, or fix the tag`, `${pointer}/identifier`)];
    if (top.value.status !== 200) return [finding('service-unreachable', `GET ${top.value.url} → ${top.value.status}`, pointer)];
    const manifest = parseJson(top.value.body) as Manifest | undefined;

    let images: { label: string; manifest: Manifest | undefined }[];
    if (Array.isArray(manifest?.manifests)) {
      const runnable = manifest.manifests.filter((d) => d.platform?.os !== 'unknown' && typeof d.digest === 'string').slice(0, MAX_PLATFORMS);
      images = [];
      for (const d of runnable) {
        const got = await api.get(`manifests/${d.digest}`, MANIFEST_ACCEPT);
        if (!got.ok) return [got.error];
        images.push({
          label: `${name} (${d.platform?.os ?? '?'}/${d.platform?.architecture ?? '?'})`,
          manifest: parseJson(got.value.body) as Manifest | undefined,
        });
      }
      if (images.length === 0) return [finding('oci-label-missing', `the index ${name} lists no runnable image`, `${pointer}/identifier`)];
    } else {
      images = [{ label: name, manifest }];
    }

    for (const image of images) {
      const digest = image.manifest?.config?.digest;
      if (typeof digest !== 'string') return [finding('service-unreachable', `the manifest of ${image.label} has no config digest`, pointer)];
      const blob = await api.get(`blobs/${digest}`);
      if (!blob.ok) return [blob.error];
      if (blob.value.status !== 200) return [finding('service-unreachable', `GET ${blob.value.url} → ${blob.value.status}`, pointer)];
      const config = parseJson(blob.value.body) as { config?: { Labels?: Record<string, unknown> | null } } | undefined;
      const label = config?.config?.Labels?.[OCI_NAME_LABEL];
      if (label === undefined) {
        return [
          finding(
            'oci-label-missing',
            `${image.label} has no label ${OCI_NAME_LABEL}; add \`LABEL ${OCI_NAME_LABEL}="${serverName}"\` to the Dockerfile and push again`,
            `${pointer}/identifier`,
          ),
        ];
      }
      if (label !== serverName) {
        return [
          finding(
            'oci-label-mismatch',
            `${image.label} has ${OCI_NAME_LABEL}=${JSON.stringify(label)}, not "${serverName}"; only the server it names may list it`,
            `${pointer}/identifier`,
          ),
        ];
      }
    }
    return [];
  },
};
