/**
 * Real MCP servers on 127.0.0.1 for the inspect tests and bench, made with the official SDK's
 * server side: streamable HTTP (stateful sessions), SSE, one behind a bearer token, one that
 * accepts connections and never answers, and servers whose tools a test changes between runs.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListPromptsRequestSchema, ListResourcesRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export interface ToolDef {
  name: string;
  description?: string;
  inputSchema: { type: 'object'; properties?: Record<string, unknown>; required?: string[] };
  annotations?: Record<string, unknown>;
  title?: string;
}

export interface Offer {
  tools: ToolDef[];
  prompts?: { name: string; description?: string }[];
  resources?: { uri: string; name: string; mimeType?: string }[];
  /** Tools per tools/list page (default: all on one page). */
  pageSize?: number;
}

export interface McpTestServerOptions {
  transport: 'streamable-http' | 'sse';
  /** Read on every request, so a test may change it between runs. */
  offer: () => Offer;
  /** A bearer token every request must carry. */
  token?: string;
  /** Added before every answer (the bench's latency). */
  latencyMs?: number;
  host?: string;
  /** Answers the first N requests with 429 and this Retry-After (seconds). */
  rateLimit?: { count: number; retryAfter?: string };
}

export interface McpTestServer {
  /** The endpoint: `/mcp` (streamable HTTP) or `/sse`. */
  url: string;
  host: string;
  requests: { method: string; path: string; userAgent: string | undefined; at: number }[];
  /** Most requests in flight at once. */
  maxConcurrent: number;
  close(): Promise<void>;
}

function mcpServer(offer: () => Offer): Server {
  const server = new Server({ name: 'test-server', version: '1.2.3' }, { capabilities: { tools: {}, prompts: {}, resources: {} } });
  server.setRequestHandler(ListToolsRequestSchema, (req) => {
    const { tools, pageSize } = offer();
    const size = pageSize ?? tools.length;
    const start = req.params?.cursor === undefined ? 0 : Number(req.params.cursor);
    const next = start + size;
    return { tools: tools.slice(start, next), ...(next < tools.length ? { nextCursor: String(next) } : {}) };
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: offer().prompts ?? [] }));
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: offer().resources ?? [] }));
  return server;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startMcpServer(options: McpTestServerOptions): Promise<McpTestServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const sse = new Map<string, SSEServerTransport>();
  const requests: McpTestServer['requests'] = [];
  let inFlight = 0;
  let limited = 0;
  const state = { maxConcurrent: 0 };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests.push({ method: req.method ?? '', path: req.url ?? '', userAgent: req.headers['user-agent'], at: Date.now() });
    if (options.latencyMs) await sleep(options.latencyMs);
    if (options.rateLimit && limited < options.rateLimit.count) {
      limited += 1;
      res.writeHead(429, options.rateLimit.retryAfter === undefined ? {} : { 'retry-after': options.rateLimit.retryAfter }).end();
      return;
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('unauthorized');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (options.transport === 'sse') {
      if (req.method === 'GET' && path === '/sse') {
        const transport = new SSEServerTransport('/messages', res);
        sse.set(transport.sessionId, transport);
        res.on('close', () => sse.delete(transport.sessionId));
        await mcpServer(options.offer).connect(transport);
        return;
      }
      if (req.method === 'POST' && path === '/messages') {
        const id = new URL(req.url ?? '/', 'http://x').searchParams.get('sessionId') ?? '';
        const transport = sse.get(id);
        if (!transport) return void res.writeHead(404).end();
        await transport.handlePostMessage(req, res);
        return;
      }
      res.writeHead(404).end();
      return;
    }
    if (path !== '/mcp') return void res.writeHead(404).end();
    const id = req.headers['mcp-session-id'];
    const existing = typeof id === 'string' ? sessions.get(id) : undefined;
    if (existing) {
      await existing.handleRequest(req, res);
      return;
    }
    if (req.method !== 'POST') return void res.writeHead(400).end();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => void sessions.set(sid, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await mcpServer(options.offer).connect(transport);
    await transport.handleRequest(req, res);
  }

  const http = createServer((req, res) => {
    inFlight += 1;
    state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => http.listen(0, host, resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${options.transport === 'sse' ? '/sse' : '/mcp'}`,
    host,
    requests,
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** Accepts TCP connections and requests, and never answers. */
export async function startHangingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const http = createServer(() => {});
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        http.close(() => resolve());
      }),
  };
}

export function manyTools(count: number): ToolDef[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `tool_${String(i).padStart(5, '0')}`,
    description: `Tool number ${i}: does one small thing.`,
    inputSchema: { type: 'object' as const, properties: { value: { type: 'string', description: 'what to work on' } }, required: ['value'] },
  }));
}
