/**
 * Tool pinning (pure): what changed between the tools a version offered last time and now. A
 * server that changes a tool's description after users trusted it is a known attack, so the
 * change is kept with both fingerprints and a diff a reviewer can read.
 */
import type { InspectedTool } from './endpoint-result.ts';
import { canonicalJson } from './fingerprint.ts';

export type ChangedField = 'description' | 'inputSchema' | 'annotations';

export interface ToolChange {
  detectedAt: string;
  /** Set fingerprints. */
  from: string;
  to: string;
  added: string[];
  removed: string[];
  changed: { name: string; fields: ChangedField[]; from: string; to: string }[];
  diff: string;
}

const MAX_DIFF = 65_536;
const MAX_LINE = 2000;

function clip(text: string): string {
  return text.length <= MAX_LINE ? text : `${text.slice(0, MAX_LINE - 1)}…`;
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
}

/** Undefined when the two sets have the same fingerprint. */
export function toolChange(
  before: readonly InspectedTool[],
  beforeFingerprint: string,
  after: readonly InspectedTool[],
  afterFingerprint: string,
  detectedAt: string,
): ToolChange | undefined {
  if (beforeFingerprint === afterFingerprint) return undefined;
  const old = new Map(before.map((t) => [t.name, t]));
  const now = new Map(after.map((t) => [t.name, t]));
  const added = [...now.keys()].filter((n) => !old.has(n)).sort();
  const removed = [...old.keys()].filter((n) => !now.has(n)).sort();
  const lines: string[] = [];
  const changed: ToolChange['changed'] = [];
  for (const name of [...now.keys()].filter((n) => old.has(n)).sort()) {
    const a = old.get(name);
    const b = now.get(name);
    if (!a || !b || a.fingerprint === b.fingerprint) continue;
    const fields = (['description', 'inputSchema', 'annotations'] as const).filter((f) => canonicalJson(a[f] ?? null) !== canonicalJson(b[f] ?? null));
    changed.push({ name, fields: [...fields], from: a.fingerprint, to: b.fingerprint });
    lines.push(`~ tool ${JSON.stringify(name)}: ${fields.length > 0 ? fields.join(', ') : 'definition'} changed`);
    for (const f of fields) {
      lines.push(`  ${f}:`, `  - ${clip(show(a[f]))}`, `  + ${clip(show(b[f]))}`);
    }
  }
  for (const name of added) lines.push(`+ tool ${JSON.stringify(name)}: ${clip(show(now.get(name)?.description))}`);
  for (const name of removed) lines.push(`- tool ${JSON.stringify(name)}`);
  let diff = lines.join('\n');
  if (diff.length > MAX_DIFF) diff = `${diff.slice(0, MAX_DIFF - 40)}\n… (diff cut at ${MAX_DIFF} characters)`;
  return { detectedAt, from: beforeFingerprint, to: afterFingerprint, added, removed, changed, diff };
}
