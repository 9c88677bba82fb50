/** A `fetch` over the project's HTTP client, for libraries that take one (Octokit). */
import type { HttpClient } from './http-client.ts';

export class FetchFailure extends Error {
  override name = 'FetchFailure';
}

export function fetchOver(http: HttpClient): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') throw new FetchFailure(`${method} ${url}: only GET and HEAD are used`);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const result = await http.send({ url, method, headers });
    if (!result.ok) throw new FetchFailure(result.failure.message);
    const { status, body } = result.response;
    const nullBody = status === 204 || status === 304 || method === 'HEAD';
    return new Response(nullBody ? null : new Uint8Array(body), { status, headers: result.response.headers });
  }) as typeof fetch;
}
