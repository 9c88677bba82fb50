/**
 * Fingerprints of tool definitions (pure). A tool's fingerprint covers exactly its name,
 * description, input schema and annotations: a change of title, output schema, icons or `_meta`
 * is not a change of what the model is told, so it does not move the fingerprint. The set
 * fingerprint covers the tools' fingerprints as a set (server order does not matter).
 */
import { createHash } from 'node:crypto';

/** JSON with object keys in code-unit order and no whitespace, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // undefined and functions cannot come from JSON; they read as null so the output stays JSON.
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** The parts of a tool definition that its fingerprint covers. */
export interface ToolIdentity {
  name: string;
  description?: string;
  inputSchema?: unknown;
  annotations?: unknown;
}

export function fingerprintedPart(tool: ToolIdentity): Record<string, unknown> {
  const part: Record<string, unknown> = { name: tool.name };
  if (tool.description !== undefined) part.description = tool.description;
  if (tool.inputSchema !== undefined) part.inputSchema = tool.inputSchema;
  if (tool.annotations !== undefined) part.annotations = tool.annotations;
  return part;
}

export function toolFingerprint(tool: ToolIdentity): string {
  return sha256(canonicalJson(fingerprintedPart(tool)));
}

/** Over the sorted tool fingerprints: the same tools in any order give the same set fingerprint. */
export function toolSetFingerprint(fingerprints: readonly string[]): string {
  return sha256(canonicalJson([...fingerprints].sort()));
}
