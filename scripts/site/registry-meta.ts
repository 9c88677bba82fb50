/**
 * What registries add to a version beside the official block: this registry's overlays and
 * provenance, and what a subregistry upstream added under its own key (pure). Server pages show
 * it as "Registry notes". Values stay untrusted text; the page escapes them.
 */
import { OFFICIAL_META_KEY } from '../core/api-types.ts';
import { isRecord } from '../core/is-record.ts';

export interface RegistryMetaField {
  /** Dotted path below the block's key, like `rating` or `upstream.url`. */
  name: string;
  value: string;
}

export interface RegistryMetaBlock {
  /** The `_meta` key, like `com.acme.mcp/registry`. */
  key: string;
  fields: RegistryMetaField[];
}

const MAX_DEPTH = 3;
const MAX_FIELDS = 50;
const MAX_VALUE = 300;

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function display(value: unknown): string {
  const s = scalar(value);
  if (s !== undefined) return s;
  if (Array.isArray(value)) {
    const items = value.map(scalar);
    if (items.every((i) => i !== undefined)) return items.join(', ');
  }
  return JSON.stringify(value) ?? '';
}

function flatten(value: Record<string, unknown>, prefix: string, depth: number, out: RegistryMetaField[]): void {
  for (const key of Object.keys(value).sort()) {
    const child = value[key];
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isRecord(child) && depth < MAX_DEPTH) flatten(child, name, depth + 1, out);
    else out.push({ name, value: clip(display(child)) });
  }
}

/**
 * Every `_meta` key but the official one, in key order, flattened into named text fields.
 * `rendered` names, per `_meta` key, the fields a page shows in sections of their own.
 */
export function registryMetaBlocks(meta: unknown, rendered: Record<string, readonly string[]> = {}): RegistryMetaBlock[] {
  if (!isRecord(meta)) return [];
  const blocks: RegistryMetaBlock[] = [];
  for (const key of Object.keys(meta).sort()) {
    if (key === OFFICIAL_META_KEY) continue;
    const value = meta[key];
    const fields: RegistryMetaField[] = [];
    const skip = Object.hasOwn(rendered, key) ? (rendered[key] as readonly string[]) : [];
    if (isRecord(value)) flatten(Object.fromEntries(Object.entries(value).filter(([k]) => !skip.includes(k))), '', 1, fields);
    else fields.push({ name: key, value: clip(display(value)) });
    if (fields.length > 0) blocks.push({ key, fields: fields.slice(0, MAX_FIELDS) });
  }
  return blocks;
}
