/**
 * Reading and writing `registry/renames/<namespace>/<old-name>.yaml`: the record that an old server name now
 * answers with a new one. Pure: text in, value and diagnostics out; value in, deterministic text out.
 */
import { Document, parseDocument } from 'yaml';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { STATE_DIR, type StatusActor } from '../core/registry-state.ts';
import { STATUS_ACTORS } from './status-file.ts';

/** One rename: `from` answers with `to` (both lower-cased). */
export interface RenameRecord {
  from: string;
  to: string;
  /** RFC 3339. */
  renamedAt: string;
  renamedBy: StatusActor;
  /** Why a maintainer decided it (a transfer whose old owner is gone); at most 500 characters. */
  reason?: string;
}

const KEYS = ['renamedTo', 'renamedAt', 'renamedBy', 'reason'];
export const MAX_RENAME_REASON = 500;
const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `com.example/a` → `registry/renames/com.example/a.yaml` (lower-cased, like the status files). */
export function renamePath(oldName: string): string {
  const lower = oldName.toLowerCase();
  const slash = lower.indexOf('/');
  return `${STATE_DIR}/renames/${lower.slice(0, slash)}/${lower.slice(slash + 1)}.yaml`;
}

export function parseRenameFile(text: string, oldName: string): { value?: RenameRecord; diagnostics: Diagnostic[] } {
  const doc = parseDocument(text, { uniqueKeys: true, schema: 'failsafe' });
  const [e] = doc.errors;
  if (e) return { diagnostics: [diagnostic('lifecycle/yaml', `not valid YAML: ${e.message.split('\n')[0]}`)] };
  const raw: unknown = doc.toJS();
  const shape = (message: string) => ({ diagnostics: [diagnostic('lifecycle/shape', message)] });
  if (!isRecord(raw)) return shape('a rename record is a mapping with renamedTo, renamedAt and renamedBy');
  const unknown = Object.keys(raw).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) return shape(`unknown key ${JSON.stringify(unknown[0])}; only ${KEYS.join(', ')} are allowed`);
  const { renamedTo, renamedAt, renamedBy } = raw;
  if (typeof renamedTo !== 'string' || !SERVER_NAME.test(renamedTo)) return shape('renamedTo must be a server name of the form namespace/name');
  if (typeof renamedAt !== 'string' || !RFC3339.test(renamedAt) || Number.isNaN(Date.parse(renamedAt)))
    return { diagnostics: [diagnostic('lifecycle/time', 'renamedAt must be an RFC 3339 time such as 2026-01-31T12:00:00Z')] };
  if (!STATUS_ACTORS.includes(renamedBy as StatusActor)) return shape(`renamedBy must be one of ${STATUS_ACTORS.join(', ')}`);
  const { reason } = raw;
  if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_RENAME_REASON))
    return shape(`reason must be a text of 1 to ${MAX_RENAME_REASON} characters`);
  return {
    value: {
      from: oldName.toLowerCase(),
      to: renamedTo.toLowerCase(),
      renamedAt,
      renamedBy: renamedBy as StatusActor,
      ...(typeof reason === 'string' ? { reason } : {}),
    },
    diagnostics: [],
  };
}

export function serializeRenameFile(record: RenameRecord): string {
  const doc = new Document({
    renamedTo: record.to.toLowerCase(),
    renamedAt: record.renamedAt,
    renamedBy: record.renamedBy,
    ...(record.reason !== undefined ? { reason: record.reason } : {}),
  });
  const header = '# Registry-owned rename record. Written by `mcp-registry rename`; the old name answers with the new one.\n';
  return header + doc.toString({ lineWidth: 0 });
}
