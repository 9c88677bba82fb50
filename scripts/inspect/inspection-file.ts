/**
 * The registry-owned inspection state (pure): one JSON file per server version,
 * `<STATE_DIR>/inspections/<namespace>/<server>/<version>.json`, schema-checked when read
 * (schemas/inspection.schema.json), written with sorted keys so equal content gives equal bytes,
 * and kept under a size cap by dropping detail before anything else.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { STATE_DIR } from '../core/registry-state.ts';
import type { InspectCode } from './codes.ts';
import type { EndpointResult } from './endpoint-result.ts';
import { canonicalJson } from './fingerprint.ts';
import type { ToolChange } from './tool-changes.ts';

export const INSPECTIONS_DIR = `${STATE_DIR}/inspections`;
/** Over this, tools keep only name and fingerprint; the fingerprints are what pinning needs. */
export const MAX_INSPECTION_BYTES = 2 * 1024 * 1024;

export interface EndpointNeeds {
  headers?: string[];
  variables?: string[];
  environment?: string[];
}

export interface EndpointRecord extends EndpointResult {
  checkedAt: string;
  lastReachableAt?: string;
  consecutiveFailures: number;
  notAnswering?: true;
  needs?: EndpointNeeds;
  toolChanges?: ToolChange[];
  detailsOmitted?: true;
}

export interface InspectionFile {
  schemaVersion: 1;
  name: string;
  version: string;
  endpoints: EndpointRecord[];
}

/** `io.github.u/weather`, `1.0.0` → `registry/inspections/io.github.u/weather/1.0.0.json` (names lower-cased). */
export function inspectionPath(name: string, version: string): string {
  return `${INSPECTIONS_DIR}/${name.toLowerCase()}/${version}.json`;
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    compiled = ajv.compile(JSON.parse(readFileSync(new URL('../../schemas/inspection.schema.json', import.meta.url), 'utf8')) as object);
  }
  return compiled;
}

function pretty(value: unknown): string {
  // canonicalJson sorts keys; re-indenting keeps the file readable in a diff.
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}

function withoutDetails(record: EndpointRecord): EndpointRecord {
  return {
    ...record,
    tools: record.tools.map((t) => ({ name: t.name, fingerprint: t.fingerprint }) as EndpointRecord['tools'][number]),
    prompts: record.prompts.map((p) => ({ name: p.name })),
    resources: record.resources.map((r) => ({ uri: r.uri })),
    ...(record.toolChanges ? { toolChanges: record.toolChanges.map((c) => ({ ...c, diff: c.diff.slice(0, 4096) })) } : {}),
    detailsOmitted: true,
  };
}

/** The file's bytes: deterministic, and under MAX_INSPECTION_BYTES (details go first, then list tails). */
export function serialiseInspection(file: InspectionFile, maxBytes = MAX_INSPECTION_BYTES): string {
  let text = pretty(file);
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let slim: InspectionFile = { ...file, endpoints: file.endpoints.map(withoutDetails) };
  text = pretty(slim);
  while (Buffer.byteLength(text) > maxBytes) {
    slim = {
      ...slim,
      endpoints: slim.endpoints.map((e) => ({
        ...e,
        tools: e.tools.slice(0, Math.floor(e.tools.length / 2)),
        prompts: e.prompts.slice(0, Math.floor(e.prompts.length / 2)),
        resources: e.resources.slice(0, Math.floor(e.resources.length / 2)),
        truncated: true as const,
      })),
    };
    text = pretty(slim);
    if (slim.endpoints.every((e) => e.tools.length + e.prompts.length + e.resources.length === 0)) break;
  }
  return text;
}

export interface ParsedInspection {
  value?: InspectionFile;
  diagnostics: Diagnostic[];
}

/** Text of a file at `path` → the checked record, or an `inspect/state-invalid` diagnostic. */
export function parseInspection(text: string, path: string): ParsedInspection {
  const invalid = (why: string): ParsedInspection => ({
    diagnostics: [
      diagnostic('inspect/state-invalid' satisfies InspectCode, `${path} ${why}; run \`mcp-registry inspect\` again to rewrite it, or delete it`, {
        line: 1,
        column: 1,
      }),
    ],
  });
  if (Buffer.byteLength(text) > MAX_INSPECTION_BYTES) return invalid(`is over the ${MAX_INSPECTION_BYTES}-byte cap`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return invalid(`is not JSON (${(error as Error).message})`);
  }
  const validate = validator();
  if (!validate(value)) {
    const e = validate.errors?.[0];
    return invalid(`does not match schemas/inspection.schema.json: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim());
  }
  const file = value as InspectionFile;
  const expected = inspectionPath(file.name, file.version);
  if (!path.endsWith(expected)) return invalid(`names ${file.name} ${file.version}, which belongs in ${expected}`);
  return { value: file, diagnostics: [] };
}
