/**
 * The network edge of handover.ts: fetch `https://<host>/.well-known/mcp-registry-remotes` with the project's
 * guarded HTTP client (timeouts, bounded retries, public https only unless configured, no credentials sent),
 * at the configured `endpoints.http` origin instead when one is set (tests), as the domain keys are fetched.
 */
import type { HttpClient } from '../net/http-client.ts';
import { withOrigin } from '../verify/endpoint-urls.ts';
import { handoverFileUrl, MAX_HANDOVER_BYTES, parseHandoverFile, type HandoverProof } from './handover.ts';

export async function fetchHandoverProof(http: HttpClient, remoteUrl: string, httpOverride: string | undefined): Promise<HandoverProof> {
  const url = handoverFileUrl(remoteUrl);
  if (url === undefined) return { ok: false, url: remoteUrl, reason: `${remoteUrl} is not an https URL, so its host cannot be asked` };
  const target = withOrigin(url, httpOverride);
  const result = await http.send({ url: target.url, headers: target.headers, maxBytes: MAX_HANDOVER_BYTES });
  if (!result.ok) return { ok: false, url, reason: `GET ${url} failed: ${result.failure.message}` };
  const { status, body } = result.response;
  if (status === 404) return { ok: false, url, reason: `${url} answers 404` };
  if (status !== 200) return { ok: false, url, reason: `GET ${url} → ${status}` };
  return { ok: true, url, servers: parseHandoverFile(body.toString('utf8')) };
}
