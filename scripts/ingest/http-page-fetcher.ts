/** Page fetching over the project's HTTP client (timeouts, bounded retries, size cap). */
import { createHttpClient } from '../net/http-client.ts';
import type { HttpClientOptions } from '../net/http-client.ts';
import type { FetchPage } from './page-walk.ts';

export interface PageFetcherOptions {
  /** The upstream as given by --from: its origin may be plain http or a private address. */
  from: string;
  maxPageBytes?: number;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

export const DEFAULT_MAX_PAGE_BYTES = 16 * 1024 * 1024;

export function createPageFetcher(options: PageFetcherOptions): { fetchPage: FetchPage; close: () => Promise<void> } {
  const clientOptions: HttpClientOptions = {
    trustedOrigins: [new URL(options.from).origin],
    maxBytes: options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES,
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 3,
    userAgent: 'mcp-static-registry-sync/0.1',
  };
  if (options.backoffMs !== undefined) clientOptions.backoffMs = options.backoffMs;
  const client = createHttpClient(clientOptions);
  const fetchPage: FetchPage = async (url) => {
    const result = await client.send({ url, headers: { accept: 'application/json' } });
    if (!result.ok) {
      const { code, message, attempts, status, systemCode } = result.failure;
      return { ok: false, code, message, attempts, ...(status === undefined ? {} : { status }), ...(systemCode === undefined ? {} : { systemCode }) };
    }
    const { status, body, bytes, attempts, headers } = result.response;
    return { ok: true, status, body, bytes, attempts, ...(headers.date ? { date: headers.date } : {}) };
  };
  return { fetchPage, close: () => client.close() };
}
