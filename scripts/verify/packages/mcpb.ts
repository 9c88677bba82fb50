/** MCPB: download the bundle (with a size cap) and compare its SHA-256 with `fileSha256`. */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { finding, unreachable } from '../finding.ts';
import { withOrigin } from '../endpoint-urls.ts';
import type { PackageVerifier } from './package-verifier.ts';

/** Bundles can be large: the whole download may take this long (idle gaps still end at the client's timeout). */
export const MCPB_DOWNLOAD_TIMEOUT_MS = 120_000;

export const mcpbVerifier: PackageVerifier = {
  registryType: 'mcpb',
  async verify({ pkg, pointer }, { http, endpoints, mcpbMaxBytes }) {
    if (!pkg.fileSha256) {
      return [finding('mcpb-sha256-missing', `an MCPB package needs "fileSha256"; compute it with \`sha256sum FILE\``, pointer)];
    }
    let target: ReturnType<typeof withOrigin>;
    try {
      target = withOrigin(pkg.identifier, endpoints.http);
    } catch {
      return [finding('url-refused', `'${pkg.identifier}' is not a URL; an MCPB identifier is the bundle's https download URL`, `${pointer}/identifier`)];
    }
    let hash: Hash = createHash('sha256');
    const result = await http.send({
      url: target.url,
      headers: target.headers,
      maxBytes: mcpbMaxBytes,
      timeoutMs: MCPB_DOWNLOAD_TIMEOUT_MS,
      onChunk: (chunk) => void hash.update(chunk),
      onRestart: () => {
        hash = createHash('sha256');
      },
    });
    if (!result.ok) {
      if (result.failure.code === 'too-large') {
        return [
          finding(
            'mcpb-too-large',
            `${pkg.identifier}: ${result.failure.message}; bundles over ${mcpbMaxBytes} bytes are not verified`,
            `${pointer}/identifier`,
          ),
        ];
      }
      return [unreachable(`MCPB bundle`, result.failure, `${pointer}/identifier`)];
    }
    if (result.response.status !== 200) {
      return [
        finding('package-version-missing', `GET ${pkg.identifier} → ${result.response.status}; the bundle must be downloadable`, `${pointer}/identifier`),
      ];
    }
    const actual = hash.digest('hex');
    if (actual !== pkg.fileSha256.toLowerCase()) {
      return [
        finding(
          'mcpb-sha256-mismatch',
          `the bundle at ${pkg.identifier} has SHA-256 ${actual}, not the declared ${pkg.fileSha256}; set "fileSha256" to the file's real hash`,
          `${pointer}/fileSha256`,
        ),
      ];
    }
    return [];
  },
};
