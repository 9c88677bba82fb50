/**
 * A `fetch` for libraries that stream and post (the MCP SDK's transports), with the guarantees of
 * http-client.ts that such traffic needs: the same SSRF guard (literal addresses checked before,
 * resolved addresses at connect time, on the shared guarded agent), https only unless the target
 * is trusted, a time limit for the response headers and for each pause in the body, a cap on the
 * body's bytes, a User-Agent, redirects never followed here (the caller decides, each hop coming
 * back through this guard), a hook that may refuse a request (a request budget), and
 * 429/503 `Retry-After` honoured: waited out when short, a `rate-limited` failure when long or absent.
 */
import { isIP } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import { bareHost, isNonPublicAddress } from './address-guard.ts';
import { createGuardedAgent, createTrust, systemLookupAll } from './guarded-agent.ts';
import type { LookupFunction, Trust } from './guarded-agent.ts';
import { parseRetryAfter } from './retry-policy.ts';

export type GuardedFetchFailureCode = 'insecure-url' | 'ssrf-refused' | 'timeout' | 'too-large' | 'refused' | 'rate-limited' | 'network';

export class GuardedFetchError extends Error {
  override name = 'GuardedFetchError';
  readonly code: GuardedFetchFailureCode;
  readonly url: string;
  constructor(code: GuardedFetchFailureCode, url: string, message: string) {
    super(`${url} → ${message}`);
    this.code = code;
    this.url = url;
  }
}

export interface GuardedFetchOptions {
  userAgent: string;
  /** Until the response headers arrive. */
  headersTimeoutMs: number;
  /** Longest pause between two chunks of a body. */
  idleTimeoutMs: number;
  /** Per response body. */
  maxBytes: number;
  /** Every host may be reached over http and on any address (`--allow-private-network`). */
  allowPrivateNetwork?: boolean;
  /** As in http-client.ts: origins or bare hosts that may use http and private addresses. */
  trustedOrigins?: readonly string[];
  lookup?: LookupFunction;
  /** Asked before each request, retries included; false refuses it with `refused`. */
  admit?: (url: URL) => boolean;
  /** A Retry-After up to this is waited out (default 5 s); longer ends in `rate-limited`. */
  maxRetryAfterMs?: number;
  /** Waits for Retry-After per request (default 2). */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface GuardedFetch {
  /** A fetch whose failures are also reported to `onFailure` (a library may wrap or swallow them). */
  session(onFailure?: (error: GuardedFetchError) => void): typeof fetch;
  close(): Promise<void>;
}

const trustAll: Trust = { isTrustedUrl: () => true, isTrustedHost: () => true };

function cappedBody(
  body: ReadableStream<Uint8Array>,
  url: string,
  options: GuardedFetchOptions,
  fail: (e: GuardedFetchError) => GuardedFetchError,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let idle: NodeJS.Timeout | undefined;
      const pause = new Promise<never>((_, reject) => {
        idle = setTimeout(
          () => reject(fail(new GuardedFetchError('timeout', url, `the body paused for more than ${options.idleTimeoutMs} ms`))),
          options.idleTimeoutMs,
        );
      });
      try {
        const chunk = await Promise.race([reader.read(), pause]);
        if (chunk.done) {
          controller.close();
          return;
        }
        bytes += chunk.value.byteLength;
        if (bytes > options.maxBytes) throw fail(new GuardedFetchError('too-large', url, `the response is over the ${options.maxBytes}-byte cap`));
        controller.enqueue(chunk.value);
      } catch (error) {
        reader.cancel().catch(() => {});
        controller.error(error);
      } finally {
        clearTimeout(idle);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  const trust = options.allowPrivateNetwork ? trustAll : createTrust(options.trustedOrigins ?? []);
  const agent = createGuardedAgent(trust, options.lookup ?? systemLookupAll, options.headersTimeoutMs);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 5000;
  const retries = options.retries ?? 2;

  function check(url: URL, fail: (e: GuardedFetchError) => GuardedFetchError): void {
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && trust.isTrustedUrl(url))) {
      throw fail(new GuardedFetchError('insecure-url', url.href, `only https is allowed (got ${url.protocol.replace(':', '')})`));
    }
    const host = bareHost(url.hostname);
    if (isIP(host) !== 0 && isNonPublicAddress(host) && !trust.isTrustedUrl(url)) {
      throw fail(new GuardedFetchError('ssrf-refused', url.href, `${host} is not a public address`));
    }
  }

  function session(onFailure?: (error: GuardedFetchError) => void): typeof fetch {
    const fail = (e: GuardedFetchError) => {
      onFailure?.(e);
      return e;
    };
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      check(url, fail);
      for (let attempt = 0; ; attempt++) {
        if (options.admit && !options.admit(url)) throw fail(new GuardedFetchError('refused', url.href, 'the request budget of this run is spent'));
        const controller = new AbortController();
        const outer = init?.signal;
        if (outer?.aborted) throw outer.reason;
        const forward = () => controller.abort(outer?.reason);
        outer?.addEventListener('abort', forward, { once: true });
        const timer = setTimeout(
          () => controller.abort(fail(new GuardedFetchError('timeout', url.href, `no answer within ${options.headersTimeoutMs} ms`))),
          options.headersTimeoutMs,
        );
        const headers: Record<string, string> = {};
        new Headers(init?.headers).forEach((value, name) => {
          headers[name] = value;
        });
        headers['user-agent'] = options.userAgent;
        let res: Awaited<ReturnType<typeof undiciFetch>>;
        try {
          res = await undiciFetch(url, {
            method: init?.method ?? 'GET',
            headers,
            body: (init?.body ?? null) as never,
            redirect: 'manual',
            signal: controller.signal,
            dispatcher: agent,
          });
        } catch (error) {
          const reason = controller.signal.reason;
          if (reason instanceof GuardedFetchError) throw reason;
          if (outer?.aborted) throw error;
          const e = error as { cause?: { code?: string; message?: string } };
          if (e.cause?.code === 'ESSRF')
            throw fail(new GuardedFetchError('ssrf-refused', url.href, e.cause.message ?? 'resolves only to non-public addresses'));
          throw fail(new GuardedFetchError('network', url.href, e.cause?.code ?? e.cause?.message ?? (error as Error).message));
        } finally {
          clearTimeout(timer);
          outer?.removeEventListener('abort', forward);
        }
        if (res.status === 429 || res.status === 503) {
          const after = parseRetryAfter(res.headers.get('retry-after') ?? undefined, Date.now());
          const waitable = after !== undefined && after <= maxRetryAfterMs && attempt < retries;
          if (waitable) {
            await res.body?.cancel().catch(() => {});
            await sleep(after);
            continue;
          }
          if (res.status === 429) {
            await res.body?.cancel().catch(() => {});
            const why = after === undefined ? 'without a Retry-After we could honour' : `and asks us to wait ${Math.ceil(after / 1000)} s`;
            throw fail(new GuardedFetchError('rate-limited', url.href, `429 Too Many Requests ${why}; this host is left alone for this run`));
          }
        }
        const declared = Number(res.headers.get('content-length'));
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          await res.body?.cancel().catch(() => {});
          throw fail(new GuardedFetchError('too-large', url.href, `the response declares ${declared} bytes, over the ${options.maxBytes}-byte cap`));
        }
        const body = res.body === null ? null : cappedBody(res.body as ReadableStream<Uint8Array>, url.href, options, fail);
        const nullBody = res.status === 204 || res.status === 304 || (res.status >= 100 && res.status < 200);
        const out = new Headers();
        res.headers.forEach((value, name) => {
          out.append(name, value);
        });
        return new Response(nullBody ? null : body, { status: res.status, statusText: res.statusText, headers: out });
      }
    }) as typeof fetch;
  }

  return { session, close: () => agent.destroy() };
}
