/**
 * The approved list, `registry/approved.yaml`: which versions a maintainer approved, who and when.
 * Pure: YAML text → records, or diagnostics with line, column and pointer.
 *
 *   io.github.acme/weather:
 *     - versions: ["1.2.0", "1.3.0"]   # or ["*"]: every version, present and future
 *       by: alice                      # the maintainer's GitHub login
 *       at: "2026-11-30T10:00:00Z"     # RFC 3339
 *       note: reviewed in SEC-123      # optional, at most 500 characters
 *
 * The PR check routes every change of this file to a maintainer (github/approval-review.ts); the build
 * writes each approved version's record into `_meta[<metaNamespace>].approved` and the views that say
 * `approved: true` serve only approved versions.
 */
import { LineCounter, parseDocument } from 'yaml';
import { canonicalInstant, compareInstants } from '../core/compare.ts';
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { escapeToken } from '../core/json-pointer.ts';
import { createPositionLocator } from '../load/positions.ts';
import type { ViewCode } from './codes.ts';

export const APPROVALS_FILE = 'registry/approved.yaml';

/** `versions: ["*"]` approves every version of the server. */
export const EVERY_VERSION = '*';

export interface ApprovalRecord {
  versions: string[];
  /** GitHub login of the maintainer who approved. */
  by: string;
  /** RFC 3339, canonical (UTC, as `Date#toISOString` writes it). */
  at: string;
  note?: string;
}

/** Lower-cased server name → its records in file order. */
export type Approvals = ReadonlyMap<string, readonly ApprovalRecord[]>;

/** What `_meta[<metaNamespace>].approved` holds for a version. */
export interface ApprovalMeta {
  by: string;
  at: string;
  note?: string;
}

export interface ParsedApprovals {
  approvals: Map<string, ApprovalRecord[]>;
  diagnostics: Diagnostic[];
}

const NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_NOTE = 500;
const FIELDS = ['versions', 'by', 'at', 'note'];

function problem(code: ViewCode, pointer: string, message: string): Diagnostic {
  return diagnostic(code, message, { pointer });
}

function record(raw: unknown, pointer: string, out: Diagnostic[]): ApprovalRecord | undefined {
  if (!isRecord(raw)) {
    out.push(problem('approval/shape', pointer, 'an approval must be a mapping with versions, by and at'));
    return undefined;
  }
  const before = out.length;
  for (const key of Object.keys(raw)) {
    if (!FIELDS.includes(key))
      out.push(problem('approval/shape', `${pointer}/${escapeToken(key)}`, `'${key}' is not an approval field; use ${FIELDS.join(', ')}`));
  }
  const versions = raw.versions;
  if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => typeof v === 'string' && v !== '')) {
    out.push(
      problem('approval/shape', `${pointer}/versions`, `versions must be a non-empty list of versions (quoted, such as "1.2.0"), or ["${EVERY_VERSION}"]`),
    );
  }
  const by = raw.by;
  if (typeof by !== 'string' || !LOGIN.test(by)) out.push(problem('approval/shape', `${pointer}/by`, "by must be the approving maintainer's GitHub login"));
  // YAML may have turned an unquoted timestamp into a Date.
  const at = raw.at instanceof Date ? raw.at.toISOString() : raw.at;
  const instant = typeof at === 'string' && RFC3339.test(at) ? canonicalInstant(at) : undefined;
  if (instant === undefined) out.push(problem('approval/shape', `${pointer}/at`, 'at must be an RFC 3339 time such as "2026-11-30T10:00:00Z"'));
  const note = raw.note;
  if (note !== undefined && (typeof note !== 'string' || note.length > MAX_NOTE)) {
    out.push(problem('approval/shape', `${pointer}/note`, `note must be text of at most ${MAX_NOTE} characters`));
  }
  if (out.length > before) return undefined;
  return {
    versions: [...new Set(versions as string[])],
    by: by as string,
    at: instant as string,
    ...(typeof note === 'string' ? { note } : {}),
  };
}

/** An absent file is an empty list (`text` undefined). */
export function parseApprovals(text: string | undefined): ParsedApprovals {
  const approvals = new Map<string, ApprovalRecord[]>();
  if (text === undefined) return { approvals, diagnostics: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      approvals,
      diagnostics: doc.errors.map((error) => {
        const pos = error.linePos?.[0];
        return diagnostic('approval/yaml' satisfies ViewCode, `not valid YAML: ${error.message.split('\n')[0]}; fix the syntax`, {
          line: pos?.line ?? 0,
          column: pos?.col ?? 0,
        });
      }),
    };
  }
  const raw = doc.toJS() as unknown;
  const diagnostics: Diagnostic[] = [];
  if (raw !== null && raw !== undefined && !isRecord(raw)) {
    diagnostics.push(problem('approval/shape', '', 'the approved list must map server names to lists of approvals'));
  } else {
    for (const [name, list] of Object.entries(raw ?? {})) {
      const pointer = `/${escapeToken(name)}`;
      if (!NAME.test(name)) {
        diagnostics.push(problem('approval/shape', pointer, `'${name}' is not a server name (namespace/name)`));
        continue;
      }
      if (!Array.isArray(list)) {
        diagnostics.push(problem('approval/shape', pointer, `${name} must hold a list of approvals (- versions: [...], by: ..., at: ...)`));
        continue;
      }
      const records = list.map((item, i) => record(item, `${pointer}/${i}`, diagnostics)).filter((r): r is ApprovalRecord => r !== undefined);
      const key = name.toLowerCase();
      if (approvals.has(key))
        diagnostics.push(problem('approval/shape', pointer, `${name} is listed twice (names are compared case-insensitively); merge the lists`));
      else approvals.set(key, records);
    }
  }
  if (diagnostics.length === 0) return { approvals, diagnostics };
  const locator = createPositionLocator(text);
  return { approvals: new Map(), diagnostics: diagnostics.map((d) => ({ ...d, ...locator.locate(d.pointer) })) };
}

function later(a: ApprovalRecord | undefined, b: ApprovalRecord): ApprovalRecord {
  return a === undefined || compareInstants(b.at, a.at) > 0 ? b : a;
}

/** The record that approves this version: one naming it wins over `*`; of several, the latest. */
export function approvalOf(approvals: Approvals, name: string, version: string): ApprovalRecord | undefined {
  let exact: ApprovalRecord | undefined;
  let every: ApprovalRecord | undefined;
  for (const r of approvals.get(name.toLowerCase()) ?? []) {
    if (r.versions.includes(version)) exact = later(exact, r);
    else if (r.versions.includes(EVERY_VERSION)) every = later(every, r);
  }
  return exact ?? every;
}

export function approvalMeta(r: ApprovalRecord): ApprovalMeta {
  return { by: r.by, at: r.at, ...(r.note === undefined ? {} : { note: r.note }) };
}
