/** The API docs page's model, read from the registry's own `/openapi.yaml`. */
import { parse } from 'yaml';
import { isRecord } from '../core/is-record.ts';

export interface ApiParameter {
  name: string;
  location: string;
  required: boolean;
  type: string;
  description: string;
  /** What the schema allows, in words: `1 to 100, default 30`. */
  constraints: string;
  /** How this host answers it (list parameters only; see hostSupport). */
  support?: HostSupport;
}

export type HostKind = 'node' | 'nginx' | 'netlify' | 'cloudflare' | 'github-pages';

export interface HostSupport {
  answered: 'yes' | 'partly' | 'no';
  note: string;
}

/** Per host kind, how the list endpoint's parameters are answered (docs/hosting.md, the host contract). */
const LIST_SUPPORT: Record<HostKind, Record<string, HostSupport>> = {
  node: {},
  cloudflare: {},
  nginx: {
    limit: { answered: 'partly', note: 'pages of the largest size up to it among 1, 10, 30, 100' },
    cursor: { answered: 'partly', note: 'cursors this build handed out; others answer 400' },
    search: { answered: 'no', note: '400 "not answered by this static host"' },
    updated_since: { answered: 'no', note: '400 "not answered by this static host"' },
    version: { answered: 'partly', note: '`latest` only; an exact version answers 400' },
  },
  netlify: {
    limit: { answered: 'partly', note: 'pages of the largest size up to it among 1, 10, 30, 100' },
    cursor: { answered: 'partly', note: 'cursors this build handed out' },
    search: { answered: 'no', note: 'ignored' },
    updated_since: { answered: 'no', note: 'ignored' },
    version: { answered: 'partly', note: '`latest` only' },
    include_deleted: { answered: 'partly', note: '`true` only' },
  },
  'github-pages': {
    limit: { answered: 'no', note: 'ignored: one page holds everything' },
    cursor: { answered: 'no', note: 'ignored' },
    search: { answered: 'no', note: 'ignored' },
    updated_since: { answered: 'no', note: 'ignored' },
    version: { answered: 'no', note: 'ignored' },
    include_deleted: { answered: 'no', note: 'ignored' },
  },
};

export const HOST_NAMES: Record<HostKind, string> = {
  node: '`mcp-registry serve`',
  cloudflare: 'the Cloudflare worker',
  nginx: 'nginx',
  netlify: 'Netlify',
  'github-pages': 'GitHub Pages',
};

/** An example call of an operation, with a trimmed real answer from this registry's data. */
export interface ApiExample {
  request: string;
  response?: string;
}

export interface ApiOperation {
  method: string;
  path: string;
  summary: string;
  description: string;
  parameters: ApiParameter[];
  responses: { status: string; description: string }[];
  example?: ApiExample;
}

export interface ApiDocsModel {
  title: string;
  version: string;
  description: string;
  operations: ApiOperation[];
  /** The host kind this site was built for, when known. */
  host?: HostKind;
  /** An error as every endpoint sends it. */
  errorExample: string;
}

/** What the examples are made of: one real server of the catalog (its latest answer). */
export interface ApiExampleSource {
  name: string;
  version: string;
  /** The API's answer for that version, as published. */
  response: unknown;
  servers: number;
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function resolveRef(doc: Record<string, unknown>, value: unknown): unknown {
  if (!isRecord(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  let node: unknown = doc;
  for (const part of value.$ref.slice(2).split('/')) {
    node = isRecord(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node;
}

function constraintsOf(schema: unknown): string {
  if (!isRecord(schema)) return '';
  const parts: string[] = [];
  if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number') parts.push(`${schema.minimum} to ${schema.maximum}`);
  else if (typeof schema.minimum === 'number') parts.push(`at least ${schema.minimum}`);
  else if (typeof schema.maximum === 'number') parts.push(`at most ${schema.maximum}`);
  if (typeof schema.format === 'string') parts.push(schema.format === 'date-time' ? 'an RFC 3339 time' : schema.format);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (schema.default !== undefined) parts.push(`default \`${String(schema.default)}\``);
  return parts.join(', ');
}

/** Words for parameters the OpenAPI text leaves undescribed. */
const FALLBACK_DESCRIPTIONS: Record<string, string> = {
  limit: 'How many entries a page holds.',
  include_deleted: 'Also list deleted versions.',
  serverName: 'The server name, URL-encoded: `io.github.user%2Fweather`.',
  version: 'A version, URL-encoded, or `latest`.',
};

function parameter(doc: Record<string, unknown>, raw: unknown): ApiParameter | undefined {
  const p = resolveRef(doc, raw);
  if (!isRecord(p) || typeof p.name !== 'string') return undefined;
  const schema = resolveRef(doc, p.schema);
  return {
    name: p.name,
    location: str(p.in),
    required: p.required === true,
    type: isRecord(schema) ? str(schema.type) || (Array.isArray(schema.enum) ? 'enum' : '') : '',
    description: str(p.description) || (FALLBACK_DESCRIPTIONS[p.name] ?? ''),
    constraints: constraintsOf(schema),
  };
}

const MAX_STRING = 120;

/** A real answer cut down to read: long strings clipped, long lists to their first two items. */
export function trimForExample(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING - 1)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 2).map((v) => trimForExample(v, depth + 1));
  if (isRecord(value)) return depth > 6 ? {} : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimForExample(v, depth + 1)]));
  return value;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function exampleFor(path: string, source: ApiExampleSource | undefined): ApiExample | undefined {
  const name = source === undefined ? 'io.github.user/weather' : source.name;
  const filled = path
    .replace('{serverName}', encodeURIComponent(name))
    .replace('{version}', source === undefined ? 'latest' : encodeURIComponent(source.version));
  const one = source === undefined ? undefined : trimForExample(source.response);
  if (path.endsWith('/servers')) {
    return {
      request: `${filled}?limit=1`,
      ...(one ? { response: json({ servers: [one], metadata: { ...(source && source.servers > 1 ? { nextCursor: '…' } : {}), count: 1 } }) } : {}),
    };
  }
  if (path.endsWith('/versions')) return { request: filled, ...(one ? { response: json({ servers: [one], metadata: { count: 1 } }) } : {}) };
  if (path.endsWith('/{version}')) return { request: filled, ...(one ? { response: json(one) } : {}) };
  if (path.endsWith('/ping')) return { request: filled, response: json({ pong: true }) };
  return { request: filled };
}

export const ERROR_EXAMPLE = json({ title: 'Not Found', status: 404, detail: 'Server not found', error: 'Server not found' });

/**
 * Pure: the operations of an OpenAPI 3 document, in the document's path order, with examples
 * made from `example` and, for `host`, how the list parameters are answered; undefined if unreadable.
 */
export function buildApiDocs(openapiYaml: string, options: { example?: ApiExampleSource; host?: HostKind } = {}): ApiDocsModel | undefined {
  let doc: unknown;
  try {
    doc = parse(openapiYaml);
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || !isRecord(doc.paths)) return undefined;
  const info = isRecord(doc.info) ? doc.info : {};
  const operations: ApiOperation[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = resolveRef(doc, rawItem);
    if (!isRecord(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isRecord(op)) continue;
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      const responses = isRecord(op.responses) ? op.responses : {};
      const support = options.host === undefined ? undefined : LIST_SUPPORT[options.host];
      const example = method === 'get' ? exampleFor(path, options.example) : undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        summary: str(op.summary),
        description: str(op.description),
        parameters: [...shared, ...own]
          .map((p) => parameter(doc, p))
          .filter((p): p is ApiParameter => p !== undefined)
          .map((p) =>
            support === undefined || p.location !== 'query' || !path.endsWith('/servers')
              ? p
              : { ...p, support: support[p.name] ?? { answered: 'yes', note: '' } },
          ),
        ...(example ? { example } : {}),
        responses: Object.entries(responses).map(([status, r]) => {
          const resolved = resolveRef(doc, r);
          return { status, description: isRecord(resolved) ? str(resolved.description) : '' };
        }),
      });
    }
  }
  return {
    title: str(info.title),
    version: str(info.version),
    description: str(info.description),
    operations,
    ...(options.host === undefined ? {} : { host: options.host }),
    errorExample: ERROR_EXAMPLE,
  };
}
