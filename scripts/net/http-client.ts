/**
 * The one HTTP client of the project (undici). Every request has a timeout, bounded retries
 * with jittered backoff that honour `Retry-After`, a per-host concurrency limit, a response
 * size cap, redirects only to https (or to a configured endpoint), credentials dropped on a
 * redirect to another origin, and an SSRF guard that refuses non-public addresses except for
 * configured endpoints. Failures are values that name the URL and say what to do.
 */
import { isIP } from 'node:net';
import { errors as undiciErrors, request } from 'undici';
import { bareHost, isNonPublicAddress } from './address-guard.ts';
import { createGuardedAgent, createTrust, systemLookupAll } from './guarded-agent.ts';
import type { LookupFunction } from './guarded-agent.ts';
import { createHostLimiter } from './host-limiter.ts';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.ts';
import { TOOL, TOOL_VERSION } from './user-agent.ts';

export type { LookupFunction } from './guarded-agent.ts';

export interface HttpClientOptions {
  /** Per attempt, headers and body included. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts after the first. Default 2. */
  retries?: number;
  /** Backoff base; attempt n waits a random time up to base·2^n. Default 250 ms. */
  backoffMs?: number;
  /** A `Retry-After` longer than this ends the retries at once. Default 10 s. */
  maxRetryAfterMs?: number;
  /** Default response size cap. Default 10 MiB. */
  maxBytes?: number;
  perHostConcurrency?: number;
  maxRedirects?: number;
  /**
   * Origins (`http://127.0.0.1:4873`) or bare hosts the operator configured: they may use plain
   * http and private addresses. Everything else must be https on a public address.
   */
  trustedOrigins?: readonly string[];
  /** Name resolution (tests map public names to loopback with it). Default: the system resolver. */
  lookup?: LookupFunction;
  /**
   * Sent with every request unless the request sets its own. Default `mcp-static-registry/0.1`;
   * callers that reach public APIs pass one naming the registry and a contact (user-agent.ts).
   */
  userAgent?: string;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /**
   * Further headers (any case) that carry a secret. Like Authorization, Cookie and
   * Proxy-Authorization they are sent to the requested origin only, never after a redirect away.
   */
  credentialHeaders?: readonly string[];
  /** Overrides the client's cap for this request. */
  maxBytes?: number;
  /** Overrides the client's per-attempt timeout (large downloads). */
  timeoutMs?: number;
  /** Streams the body to this sink instead of buffering it (`body` is then empty). */
  onChunk?: (chunk: Uint8Array) => void;
  /** Called before a retry so a streaming sink can start over. */
  onRestart?: () => void;
}

export interface HttpResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  bytes: number;
  attempts: number;
}

export type HttpFailureCode =
  | 'bad-url'
  | 'insecure-url'
  | 'ssrf-refused'
  | 'redirect-refused'
  | 'too-many-redirects'
  | 'timeout'
  | 'network'
  | 'too-large'
  | 'status';

export interface HttpFailure {
  code: HttpFailureCode;
  url: string;
  /** `GET https://… → 503 after 3 attempts: what to do`. */
  message: string;
  status?: number;
  attempts: number;
  /** For `network`: the system error code (`ENOTFOUND`, `ECONNREFUSED`, …), so callers decide without reading the message. */
  systemCode?: string;
}

export type HttpResult = { ok: true; response: HttpResponse } | { ok: false; failure: HttpFailure };

export interface HttpClient {
  /** Never throws for network conditions: the result says what happened. */
  send(req: HttpRequest): Promise<HttpResult>;
  close(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Headers that only the first origin may see. `host` is here too: a Host the caller set names the
 * first origin and would misroute the request at another.
 */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'host'];

/** The headers without those that must not leave the origin they were meant for (pure). */
function withoutCredentials(headers: Record<string, string>, credentialHeaders: readonly string[] = []): Record<string, string> {
  const bound = new Set([...ORIGIN_BOUND_HEADERS, ...credentialHeaders.map((h) => h.toLowerCase())]);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !bound.has(name.toLowerCase())));
}

class StepError extends Error {
  readonly code: HttpFailureCode;
  readonly retryable: boolean;
  readonly systemCode: string | undefined;
  constructor(code: HttpFailureCode, message: string, retryable: boolean, systemCode?: string) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    this.systemCode = systemCode;
  }
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 250;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  const defaultMaxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const trust = createTrust(options.trustedOrigins ?? []);
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const limiter = createHostLimiter(options.perHostConcurrency ?? 6);
  const userAgent = options.userAgent ?? `${TOOL}/${TOOL_VERSION}`;

  const agent = createGuardedAgent(trust, options.lookup ?? systemLookupAll, timeoutMs);

  function checkTarget(url: URL): void {
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && trust.isTrustedUrl(url))) {
      throw new StepError(
        'insecure-url',
        `only https is allowed (got ${url.protocol.replace(':', '')}); use an https URL, or configure this origin as an endpoint`,
        false,
      );
    }
    const host = bareHost(url.hostname);
    if (isIP(host) !== 0 && isNonPublicAddress(host) && !trust.isTrustedUrl(url)) {
      throw new StepError('ssrf-refused', `${host} is not a public address; only public hosts can be verified`, false);
    }
  }

  async function once(
    req: HttpRequest,
    url: URL,
    headersToSend: Record<string, string>,
    maxBytes: number,
  ): Promise<HttpResponse & { retryAfter?: string | undefined }> {
    checkTarget(url);
    const attemptMs = req.timeoutMs ?? timeoutMs;
    const signal = AbortSignal.timeout(attemptMs);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: req.method ?? 'GET',
        // A request's own User-Agent, in any case, replaces the client's.
        headers: Object.keys(headersToSend).some((h) => h.toLowerCase() === 'user-agent') ? headersToSend : { 'user-agent': userAgent, ...headersToSend },
        dispatcher: agent,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw classify(error, attemptMs);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.body.destroy();
      throw new StepError('too-large', `the response declares ${declared} bytes, over the ${maxBytes}-byte cap`, false);
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        bytes += buf.length;
        if (bytes > maxBytes) {
          res.body.destroy();
          throw new StepError('too-large', `the response is over the ${maxBytes}-byte cap`, false);
        }
        if (req.onChunk) req.onChunk(buf);
        else chunks.push(buf);
      }
    } catch (error) {
      if (error instanceof StepError) throw error;
      throw classify(error, attemptMs);
    }
    return {
      url: url.href,
      status: res.statusCode,
      headers,
      body: Buffer.concat(chunks),
      bytes,
      attempts: 1,
      retryAfter: headers['retry-after'],
    };
  }

  function classify(error: unknown, attemptMs: number): StepError {
    const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? e.cause?.code;
    if (code === 'ESSRF') return new StepError('ssrf-refused', `${e.message ?? e.cause?.message}; only public hosts can be verified`, false);
    if (
      e.name === 'TimeoutError' ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      error instanceof undiciErrors.ConnectTimeoutError
    ) {
      return new StepError('timeout', `no answer within ${attemptMs} ms`, true);
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new StepError('network', `the host name does not resolve (${code})`, code === 'EAI_AGAIN', code);
    }
    return new StepError('network', `${code ?? e.message ?? String(error)}`, true, code);
  }

  /**
   * One attempt including its redirects. Once a redirect leaves the first origin (scheme, host or
   * port differ), credentials are gone for the rest of the chain, even if it comes back, as in fetch.
   */
  async function follow(req: HttpRequest, start: URL, maxBytes: number): Promise<HttpResponse & { retryAfter?: string | undefined }> {
    let url = start;
    let headers = req.headers ?? {};
    for (let hop = 0; ; hop++) {
      const res = await limiter.run(url.host, () => once(req, url, headers, maxBytes));
      if (!REDIRECTS.has(res.status) || res.headers.location === undefined) return res;
      if (hop >= maxRedirects) throw new StepError('too-many-redirects', `more than ${maxRedirects} redirects`, false);
      let next: URL;
      try {
        next = new URL(res.headers.location, url);
      } catch {
        throw new StepError('redirect-refused', `the redirect target '${res.headers.location}' is not a URL`, false);
      }
      try {
        checkTarget(next);
      } catch (error) {
        const step = error as StepError;
        throw new StepError('redirect-refused', `refused the redirect to ${next.href}: ${step.message}`, false);
      }
      req.onRestart?.();
      if (next.origin !== url.origin) headers = withoutCredentials(headers, req.credentialHeaders);
      url = next;
    }
  }

  async function send(req: HttpRequest): Promise<HttpResult> {
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return fail('bad-url', req.url, method, `'${req.url}' is not a valid URL; fix the URL`, 0);
    }
    const maxBytes = req.maxBytes ?? defaultMaxBytes;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      let waitMs: number | undefined;
      let last: StepError | undefined;
      let lastStatus: number | undefined;
      try {
        const res = await follow(req, url, maxBytes);
        if (!isRetryableStatus(res.status)) {
          const { retryAfter, ...response } = res;
          void retryAfter;
          return { ok: true, response: { ...response, attempts: attempt } };
        }
        lastStatus = res.status;
        const after = parseRetryAfter(res.retryAfter, Date.now());
        if (after !== undefined && after > maxRetryAfterMs) {
          return fail(
            'status',
            url.href,
            method,
            `${res.status} with Retry-After ${Math.round(after / 1000)} s, longer than the ${Math.round(maxRetryAfterMs / 1000)} s we wait; try again later`,
            attempt,
            res.status,
          );
        }
        waitMs = after;
      } catch (error) {
        if (!(error instanceof StepError)) throw error;
        if (!error.retryable) return fail(error.code, url.href, method, error.message, attempt, undefined, error.systemCode);
        last = error;
      }
      if (attempt > retries) {
        // Each attempt ends with a retryable status or a retryable error, never both.
        if (lastStatus === undefined && last !== undefined) {
          return fail(
            last.code,
            url.href,
            method,
            `${last.message} after ${attempt} attempts: check the service is up and reachable, then try again`,
            attempt,
            undefined,
            last.systemCode,
          );
        }
        return fail('status', url.href, method, `${lastStatus} after ${attempt} attempts: the service is failing; try again later`, attempt, lastStatus);
      }
      req.onRestart?.();
      await sleep(waitMs ?? backoffDelay(attempt - 1, backoffMs, random));
    }
  }

  function fail(code: HttpFailureCode, url: string, method: string, detail: string, attempts: number, status?: number, systemCode?: string): HttpResult {
    const failure: HttpFailure = { code, url, message: `${method} ${url} → ${detail}`, attempts, ...(status === undefined ? {} : { status }) };
    if (systemCode !== undefined) failure.systemCode = systemCode;
    return { ok: false, failure };
  }

  return {
    send,
    // Verification is over when this is called: requests still running are dropped, not awaited.
    close: () => agent.destroy(),
  };
}
