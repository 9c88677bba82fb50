/**
 * Public types of the registry API (same shapes as the official MCP Registry v0.1 API).
 * The emitters, the router, sync and the site all import them from here.
 */

export const CURRENT_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** `_meta` key under which the registry publishes its own metadata. */
export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';

/** The only `_meta` key a publisher may set inside server.json. */
export const PUBLISHER_META_KEY = 'io.modelcontextprotocol.registry/publisher-provided';

export type ServerStatus = 'active' | 'deprecated' | 'deleted';

export interface Input {
  description?: string;
  isRequired?: boolean;
  format?: 'string' | 'number' | 'boolean' | 'filepath';
  value?: string;
  isSecret?: boolean;
  default?: string;
  placeholder?: string;
  choices?: string[];
  variables?: Record<string, Input>;
}

export interface KeyValueInput extends Input {
  name: string;
}

export type Argument =
  | (Input & { type: 'positional'; valueHint?: string; isRepeated?: boolean })
  | (Input & { type: 'named'; name: string; isRepeated?: boolean });

export type Transport = { type: 'stdio' } | { type: 'streamable-http' | 'sse'; url: string; headers?: KeyValueInput[] };

export interface Package {
  registryType: string;
  registryBaseUrl?: string;
  identifier: string;
  version?: string;
  fileSha256?: string;
  runtimeHint?: string;
  transport: Transport;
  runtimeArguments?: Argument[];
  packageArguments?: Argument[];
  environmentVariables?: KeyValueInput[];
}

export interface Remote {
  type: 'streamable-http' | 'sse';
  url: string;
  headers?: KeyValueInput[];
  variables?: Record<string, Input>;
}

export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

export interface Repository {
  url: string;
  source: string;
  id?: string;
  subfolder?: string;
}

/** A server.json document as published (ServerDetail in the official OpenAPI). */
export interface ServerJson {
  $schema?: string;
  name: string;
  description: string;
  title?: string;
  version: string;
  repository?: Repository;
  websiteUrl?: string;
  icons?: Icon[];
  packages?: Package[];
  remotes?: Remote[];
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface OfficialMeta {
  status: ServerStatus;
  statusChangedAt: string;
  statusMessage?: string;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
}

export interface ResponseMeta {
  [OFFICIAL_META_KEY]: OfficialMeta;
  [key: string]: unknown;
}

export interface ServerResponse {
  server: ServerJson;
  _meta: ResponseMeta;
}

export interface ServerListResponse {
  servers: ServerResponse[];
  metadata: { nextCursor?: string; count: number };
}

/** Error body readable both as the official problem+json and as the spec's `{error}`. */
export interface ErrorBody {
  title: string;
  status: number;
  detail: string;
  error: string;
  errors?: { location?: string; message: string; value?: unknown }[];
}
