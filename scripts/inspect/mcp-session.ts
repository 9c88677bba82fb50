/**
 * One inspection of one endpoint as a real MCP client (the official SDK): `initialize`, then
 * `tools/list`, and `prompts/list` and `resources/list` where the server says it has them, each
 * paginated up to the caps. The network edge of the stage: remotes go through net's guarded
 * fetch, stdio through the SDK's child-process transport. Never throws: the result says what
 * happened, and why when the server could not be inspected.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, ListPromptsResultSchema, ListResourcesResultSchema, ListToolsResultSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../core/is-record.ts';
import type { GuardedFetchError } from '../net/guarded-fetch.ts';
import type { GuardedFetch } from '../net/guarded-fetch.ts';
import type { FailureReason } from './codes.ts';
import {
  capJson,
  capString,
  DEFAULT_CAPS,
  failedEndpoint,
  normalisePrompts,
  normaliseResources,
  normaliseTools,
  withSetFingerprint,
} from './endpoint-result.ts';
import type { Caps, EndpointError, EndpointResult } from './endpoint-result.ts';

export type SessionTarget =
  | { kind: 'remote'; transport: 'streamable-http' | 'sse'; url: string; headers?: Record<string, string> }
  | { kind: 'stdio'; label: string; command: string; args: readonly string[]; env: Record<string, string>; cwd?: string };

export interface SessionOptions {
  /** Remotes only. */
  fetch?: GuardedFetch;
  clientName: string;
  clientVersion: string;
  /** Per MCP request. */
  requestTimeoutMs: number;
  /** The whole inspection, connection included. */
  sessionTimeoutMs: number;
  caps?: Caps;
  /** Pages per list. */
  maxPages?: number;
}

const FETCH_REASON: Record<GuardedFetchError['code'], FailureReason> = {
  'insecure-url': 'ssrf-refused',
  'ssrf-refused': 'ssrf-refused',
  timeout: 'timeout',
  'too-large': 'too-large',
  refused: 'budget-exhausted',
  'rate-limited': 'rate-limited',
  network: 'unreachable',
};

/** Status of an HTTP failure the SDK reports (its transport errors carry it as `code`). */
function httpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'number' && code >= 100 && code < 600) return code;
  const m = /\b(?:HTTP |status(?: code)? |Error POSTing to endpoint \(HTTP )(\d{3})\b/.exec(String((error as Error)?.message ?? ''));
  return m ? Number(m[1]) : undefined;
}

export function classifyFailure(error: unknown, fetchFailure: GuardedFetchError | undefined, what: string): EndpointError {
  if (fetchFailure) return { code: FETCH_REASON[fetchFailure.code], message: `${what}: ${fetchFailure.message}` };
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
    return { code: 'timeout', message: `${what}: no answer in time (${error.message})` };
  if (error instanceof SessionDeadline) return { code: 'timeout', message: `${what}: ${error.message}` };
  const status = httpStatus(error);
  if (status === 401 || status === 403) {
    return { code: 'auth-required', message: `${what}: the server answers ${status}: it needs credentials, which the registry never guesses` };
  }
  const text = capString(String((error as Error)?.message ?? error), 500) ?? 'unknown error';
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|spawn|ENOENT/.test(text)) return { code: 'unreachable', message: `${what}: ${text}` };
  return { code: 'protocol-error', message: `${what}: not an MCP answer: ${text}` };
}

class SessionDeadline extends Error {}

type Lister = 'tools' | 'prompts' | 'resources';
const SCHEMAS = { tools: ListToolsResultSchema, prompts: ListPromptsResultSchema, resources: ListResourcesResultSchema } as const;

async function listAll(client: Client, kind: Lister, options: SessionOptions, caps: Caps): Promise<{ items: unknown[]; truncated: boolean }> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 100); page++) {
    const result = (await client.request({ method: `${kind}/list`, params: cursor === undefined ? {} : { cursor } }, SCHEMAS[kind] as never, {
      timeout: options.requestTimeoutMs,
    })) as Record<string, unknown>;
    const list = Array.isArray(result[kind]) ? (result[kind] as unknown[]) : [];
    items.push(...list.slice(0, caps.maxItems - items.length));
    if (items.length >= caps.maxItems) return { items, truncated: list.length > 0 && (typeof result.nextCursor === 'string' || items.length < list.length) };
    cursor = typeof result.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
    if (cursor === undefined) return { items, truncated: false };
    // A server that hands out the same cursor again would keep us here forever.
    if (seen.has(cursor)) return { items, truncated: true };
    seen.add(cursor);
  }
  return { items, truncated: true };
}

function makeTransport(target: SessionTarget, options: SessionOptions, onFailure: (e: GuardedFetchError) => void): Transport {
  if (target.kind === 'stdio') {
    return new StdioClientTransport({
      command: target.command,
      args: [...target.args],
      env: target.env,
      stderr: 'ignore',
      ...(target.cwd === undefined ? {} : { cwd: target.cwd }),
    });
  }
  if (!options.fetch) throw new Error('a remote needs the guarded fetch');
  const base = options.fetch.session(onFailure);
  const url = new URL(target.url);
  const requestInit: RequestInit = target.headers ? { headers: target.headers } : {};
  if (target.transport === 'sse') return new SSEClientTransport(url, { fetch: base, requestInit, eventSourceInit: { fetch: base } as never });
  // The optional standing GET stream would be a second connection to the host for notifications
  // an inspection never reads: answer it here as a server without one does (405).
  const noStandingStream = (async (input: string | URL | Request, init?: RequestInit) =>
    (init?.method ?? 'GET') === 'GET' ? new Response(null, { status: 405 }) : base(input, init)) as typeof fetch;
  return new StreamableHTTPClientTransport(url, {
    fetch: noStandingStream,
    requestInit,
    reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 },
  });
}

export async function inspectSession(target: SessionTarget, options: SessionOptions): Promise<EndpointResult> {
  const caps = options.caps ?? DEFAULT_CAPS;
  const url = target.kind === 'remote' ? target.url : target.label;
  const transportKind = target.kind === 'remote' ? target.transport : 'stdio';
  let fetchFailure: GuardedFetchError | undefined;
  const onFailure = (e: GuardedFetchError) => {
    fetchFailure ??= e;
  };
  let transport: Transport;
  try {
    transport = makeTransport(target, options, onFailure);
  } catch (error) {
    return failedEndpoint(url, transportKind, classifyFailure(error, fetchFailure, 'connect'));
  }
  let protocolVersion: string | undefined;
  const setVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    protocolVersion = version;
    setVersion?.(version);
  };
  const client = new Client({ name: options.clientName, version: options.clientVersion }, { capabilities: {} });
  client.onerror = () => {};
  let step = 'initialize';
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => reject(new SessionDeadline(`the inspection took longer than ${options.sessionTimeoutMs} ms`)), options.sessionTimeoutMs);
  });
  const run = async (): Promise<EndpointResult> => {
    await client.connect(transport, { timeout: options.requestTimeoutMs });
    const capabilities = (client.getServerCapabilities() ?? {}) as Record<string, unknown>;
    const info = client.getServerVersion();
    step = 'tools/list';
    const tools = isRecord(capabilities.tools) ? await listAll(client, 'tools', options, caps) : { items: [], truncated: false };
    step = 'prompts/list';
    const prompts = isRecord(capabilities.prompts) ? await listAll(client, 'prompts', options, caps) : { items: [], truncated: false };
    step = 'resources/list';
    const resources = isRecord(capabilities.resources) ? await listAll(client, 'resources', options, caps) : { items: [], truncated: false };
    const result: EndpointResult = {
      url,
      transport: transportKind,
      reachable: true,
      ...(protocolVersion === undefined ? {} : { protocolVersion: capString(protocolVersion, 64) }),
      ...(info
        ? {
            serverInfo: {
              name: capString(info.name, 256) ?? '',
              version: capString(info.version, 256) ?? '',
              ...(typeof info.title === 'string' ? { title: capString(info.title, 256) } : {}),
            },
          }
        : {}),
      capabilities: capJson(capabilities, caps) as Record<string, unknown>,
      tools: normaliseTools(tools.items, caps),
      prompts: normalisePrompts(prompts.items, caps),
      resources: normaliseResources(resources.items, caps),
    };
    if (tools.truncated || prompts.truncated || resources.truncated) result.truncated = true;
    return withSetFingerprint(result);
  };
  try {
    return await Promise.race([run(), timedOut]);
  } catch (error) {
    return failedEndpoint(url, transportKind, classifyFailure(error, fetchFailure, step));
  } finally {
    clearTimeout(deadline);
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined && fetchFailure === undefined) {
      // Polite: the server may free the session now rather than when it expires.
      await Promise.race([transport.terminateSession().catch(() => {}), new Promise((r) => setTimeout(r, options.requestTimeoutMs).unref())]);
    }
    await client.close().catch(() => {});
  }
}
