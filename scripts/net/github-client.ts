/**
 * One way to build an Octokit: configurable base URL (GitHub Enterprise, tests), a timeout on every request, and
 * bounded retries that honour GitHub's rate-limit headers and 5xx. Errors name the method, URL and status.
 */
import { Octokit } from '@octokit/rest';

export interface GitHubClientOptions {
  baseUrl: string;
  token?: string;
  /** Per request. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Longest wait honoured for a rate limit; a longer one fails at once. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  readonly status: number;
  readonly url: string;
  constructor(message: string, status: number, url: string, cause: unknown) {
    super(message, { cause });
    this.status = status;
    this.url = url;
  }
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined> };
  request?: { method: string; url: string };
}

function isRequestError(e: unknown): e is RequestErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number';
}

/** How long to wait before retrying, or undefined when the error is not worth retrying. Pure. */
export function retryDelay(status: number, headers: Record<string, string | number | undefined>, attempt: number, nowMs: number): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined && (status === 403 || status === 429 || status >= 500)) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  }
  if ((status === 403 || status === 429) && String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - nowMs) : 60_000;
  }
  if (status === 429) return 1000 * 2 ** attempt;
  if (status >= 500) return 500 * 2 ** attempt;
  return undefined;
}

export function createGitHubClient(options: GitHubClientOptions): Octokit {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 3;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const octokit = new Octokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.token ? { auth: options.token } : {}),
    userAgent: 'mcp-static-registry',
    request: {
      fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  octokit.hook.wrap('request', async (request, requestOptions) => {
    const label = `${requestOptions.method} ${String(requestOptions.url)}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        if (!isRequestError(error)) throw error;
        const url = error.request?.url ?? label;
        const method = error.request?.method ?? requestOptions.method;
        const delay = retryDelay(error.status, error.response?.headers ?? {}, attempt, now());
        if (delay !== undefined && attempt < maxRetries && delay <= maxWaitMs) {
          await sleep(delay);
          continue;
        }
        const tries = attempt + 1;
        throw new GitHubApiError(
          `${method} ${url} → ${error.status}${tries > 1 ? ` after ${tries} attempts` : ''}: ${error.message}`,
          error.status,
          url,
          error,
        );
      }
    }
  });
  return octokit;
}

export function isStatus(error: unknown, ...statuses: number[]): boolean {
  return error instanceof GitHubApiError && statuses.includes(error.status);
}
