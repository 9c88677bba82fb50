/**
 * What one endpoint offers, as the contract of `inspect --url` names it, made from what the server
 * sent (pure). Everything here is untrusted text from a stranger's server: strings are capped,
 * lists are sorted so the same offer gives the same bytes, and nothing is ever interpreted.
 */
import { isRecord } from '../core/is-record.ts';
import type { FailureReason } from './codes.ts';
import { toolFingerprint, toolSetFingerprint } from './fingerprint.ts';

export type TransportKind = 'streamable-http' | 'sse' | 'stdio';

export interface InspectedTool {
  name: string;
  description?: string;
  inputSchema: unknown;
  annotations?: unknown;
  /** Over the full definition, before any capping of the recorded copy. */
  fingerprint: string;
}

export interface InspectedPrompt {
  name: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}

export interface InspectedResource {
  uri: string;
  name?: string;
  description?: string;
  mimeType?: string;
}

export interface EndpointError {
  code: FailureReason;
  message: string;
}

export interface EndpointResult {
  /** The URL inspected (remotes), or `stdio:<registryType>:<identifier>@<version>`. */
  url: string;
  transport: TransportKind;
  reachable: boolean;
  error?: EndpointError;
  protocolVersion?: string;
  serverInfo?: { name: string; version: string; title?: string };
  capabilities?: Record<string, unknown>;
  tools: InspectedTool[];
  prompts: InspectedPrompt[];
  resources: InspectedResource[];
  /** Of the whole tool set; absent when unreachable. */
  fingerprint?: string;
  /** True when the server offered more than the caps let us record (see `Caps`). */
  truncated?: boolean;
}

export interface Caps {
  /** Longest string kept (descriptions, names); longer ones are cut and end in `…`. */
  maxString: number;
  /** Tools, prompts and resources each: more are not asked for. */
  maxItems: number;
}

export const DEFAULT_CAPS: Caps = { maxString: 4096, maxItems: 10_000 };

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };

export function capString(value: string, max: number): string;
export function capString(value: unknown, max: number): string | undefined;
export function capString(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Strings inside a schema are capped too, and depth is bounded, so a hostile schema cannot blow up the file. */
export function capJson(value: unknown, caps: Caps, depth = 0): unknown {
  if (depth > 32) return '…';
  if (typeof value === 'string') return capString(value, caps.maxString);
  if (Array.isArray(value)) return value.slice(0, 1000).map((v) => capJson(v, caps, depth + 1));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).slice(0, 1000)) out[capString(k, 256)] = capJson(v, caps, depth + 1);
    return out;
  }
  return value;
}

export function normaliseTools(raw: readonly unknown[], caps: Caps): InspectedTool[] {
  const tools: InspectedTool[] = [];
  for (const t of raw) {
    if (!isRecord(t) || typeof t.name !== 'string') continue;
    const identity = {
      name: t.name,
      ...(typeof t.description === 'string' ? { description: t.description } : {}),
      inputSchema: t.inputSchema,
      ...(t.annotations === undefined ? {} : { annotations: t.annotations }),
    };
    const tool: InspectedTool = { name: capString(t.name, 256), inputSchema: capJson(t.inputSchema ?? {}, caps), fingerprint: toolFingerprint(identity) };
    const description = capString(t.description, caps.maxString);
    if (description !== undefined) tool.description = description;
    if (t.annotations !== undefined) tool.annotations = capJson(t.annotations, caps);
    tools.push(tool);
  }
  return tools.sort(byKey((t) => `${t.name}\u0000${t.fingerprint}`));
}

export function normalisePrompts(raw: readonly unknown[], caps: Caps): InspectedPrompt[] {
  const prompts: InspectedPrompt[] = [];
  for (const p of raw) {
    if (!isRecord(p) || typeof p.name !== 'string') continue;
    const prompt: InspectedPrompt = { name: capString(p.name, 256) };
    const description = capString(p.description, caps.maxString);
    if (description !== undefined) prompt.description = description;
    if (Array.isArray(p.arguments)) {
      prompt.arguments = p.arguments
        .filter(isRecord)
        .filter((a): a is Record<string, unknown> & { name: string } => typeof a.name === 'string')
        .slice(0, 100)
        .map((a) => ({
          name: capString(a.name, 256),
          ...(typeof a.description === 'string' ? { description: capString(a.description, caps.maxString) } : {}),
          ...(typeof a.required === 'boolean' ? { required: a.required } : {}),
        }));
    }
    prompts.push(prompt);
  }
  return prompts.sort(byKey((p) => p.name));
}

export function normaliseResources(raw: readonly unknown[], caps: Caps): InspectedResource[] {
  const resources: InspectedResource[] = [];
  for (const r of raw) {
    if (!isRecord(r) || typeof r.uri !== 'string') continue;
    const resource: InspectedResource = { uri: capString(r.uri, 2048) };
    for (const key of ['name', 'description', 'mimeType'] as const) {
      const v = capString(r[key], key === 'description' ? caps.maxString : 256);
      if (v !== undefined) resource[key] = v;
    }
    resources.push(resource);
  }
  return resources.sort(byKey((r) => r.uri));
}

export function withSetFingerprint(result: EndpointResult): EndpointResult {
  return result.reachable ? { ...result, fingerprint: toolSetFingerprint(result.tools.map((t) => t.fingerprint)) } : result;
}

export function failedEndpoint(url: string, transport: TransportKind, error: EndpointError): EndpointResult {
  return { url, transport, reachable: false, error, tools: [], prompts: [], resources: [] };
}
