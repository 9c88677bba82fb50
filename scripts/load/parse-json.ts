/**
 * Strict JSON parsing that turns every way a file can be broken into a diagnostic with a position.
 * JSON.parse is the parser; one cheap scan before it bounds nesting (so nothing later can overflow the
 * stack) and counts property names, which reveals duplicate keys that JSON.parse would silently merge.
 */
import { parseDocument, LineCounter } from 'yaml';
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { pointerOf } from '../core/json-pointer.ts';
import type { Reported } from '../core/result.ts';
import type { LoadCode } from './codes.ts';
import { lineColumnAt } from './positions.ts';
import { syntaxErrorOffset } from './syntax-offset.ts';

/** A server.json needs about 8 levels; 64 leaves room for any honest `_meta`. */
export const MAX_DEPTH = 64;

/** Keys that would reach object prototypes in naive JavaScript consumers of our API. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A value may come with errors (a duplicate or forbidden key) that validation reports beside its own. */
export type Parsed = Reported<unknown>;

interface Scan {
  maxDepthOffset: number | undefined;
  keyCount: number;
}

/** One pass over the text outside strings: where nesting first exceeds MAX_DEPTH, and how many `"…":` keys there are. */
function scan(text: string): Scan {
  let depth = 0;
  let keyCount = 0;
  let inString = false;
  let stringEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) {
        inString = false;
        stringEnd = i;
      }
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > MAX_DEPTH) return { maxDepthOffset: i, keyCount };
    } else if (c === 125 || c === 93) depth--;
    else if (c === 58 && stringEnd >= 0) {
      keyCount++;
      stringEnd = -1;
    } else if (c !== 32 && c !== 9 && c !== 10 && c !== 13) stringEnd = -1;
  }
  return { maxDepthOffset: undefined, keyCount };
}

function countKeys(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countKeys(v), 0);
  if (typeof value === 'object' && value !== null) {
    let n = 0;
    for (const key of Object.keys(value)) n += 1 + countKeys((value as Record<string, unknown>)[key]);
    return n;
  }
  return 0;
}

function at(code: LoadCode, message: string, text: string, offset: number): Diagnostic {
  return diagnostic(code, message, lineColumnAt(text, offset));
}

function syntaxDiagnostic(text: string, error: Error): Diagnostic {
  const match = /position (\d+)/.exec(error.message);
  const offset = match ? Number(match[1]) : syntaxErrorOffset(text);
  const reason = error.message.replace(/ in JSON at position.*$/, '').replace(/,? ?".*" is not valid JSON$/, '');
  if (/after JSON/.test(error.message)) {
    return at('json/trailing-content', 'there is text after the JSON object; a server.json holds exactly one object', text, offset);
  }
  return at('json/syntax', `not valid JSON (${reason}); check for a missing comma, quote or bracket here`, text, offset);
}

function duplicateKeyDiagnostics(text: string): Diagnostic[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  return doc.errors
    .filter((e) => e.code === 'DUPLICATE_KEY')
    .map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return diagnostic(
        'json/duplicate-key',
        'this property name appears twice in the same object; JSON readers disagree on which value wins, so keep only one',
        {
          line: pos.line,
          column: pos.col,
        },
      );
    });
}

function forbiddenKeyDiagnostics(value: unknown, path: (string | number)[], out: Diagnostic[]): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) forbiddenKeyDiagnostics(v, [...path, i], out);
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      const child = [...path, key];
      if (FORBIDDEN_KEYS.has(key)) {
        const message = `the property name '${key}' is not allowed anywhere in a server.json (it can alter objects in JavaScript clients); rename or remove it`;
        out.push(diagnostic('json/forbidden-key', message, { pointer: pointerOf(child) }));
      }
      forbiddenKeyDiagnostics((value as Record<string, unknown>)[key], child, out);
    }
  }
}

/** Parses `text` as one JSON object. Diagnostics with line 0 still need a position from the pointer. */
export function parseJson(text: string): Parsed {
  const { maxDepthOffset, keyCount } = scan(text);
  if (maxDepthOffset !== undefined) {
    return {
      ok: false,
      diagnostics: [at('json/too-deep', `the JSON nests deeper than ${MAX_DEPTH} levels; a server.json is a shallow object`, text, maxDepthOffset)],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, diagnostics: [syntaxDiagnostic(text, error as Error)] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return { ok: false, diagnostics: [at('json/not-object', `the file holds ${found}; a server.json is one JSON object`, text, text.search(/\S/))] };
  }
  const diagnostics: Diagnostic[] = [];
  if (countKeys(value) < keyCount) {
    const duplicates = duplicateKeyDiagnostics(text);
    diagnostics.push(
      ...(duplicates.length > 0 ? duplicates : [at('json/duplicate-key', 'a property name appears twice in the same object; keep only one', text, 0)]),
    );
  }
  forbiddenKeyDiagnostics(value, [], diagnostics);
  return { ok: true, value, diagnostics };
}
