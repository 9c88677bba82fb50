/**
 * Line and column of JSON pointers in a JSON text. The `yaml` package parses JSON (a subset of YAML 1.2)
 * keeping source ranges; it is only consulted for files that have diagnostics, so the fast path stays JSON.parse.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { tokensOf } from '../core/json-pointer.ts';

export interface Position {
  line: number;
  column: number;
}

/** 1-based line and column of a character offset (columns count UTF-16 code units, as editors do). */
export function lineColumnAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export interface PositionLocator {
  /** Where the value at `pointer` starts; with `key`, where its property name starts. The nearest existing ancestor when absent. */
  locate(pointer: string, options?: { key?: boolean }): Position;
}

export function createPositionLocator(text: string): PositionLocator {
  let root: Node | null | undefined;
  const lineCounter = new LineCounter();
  const parseOnce = (): Node | null => {
    if (root === undefined) {
      const doc = parseDocument(text, { lineCounter, uniqueKeys: false, strict: false });
      root = doc.errors.length === 0 ? (doc.contents as Node | null) : null;
    }
    return root;
  };
  const toPosition = (offset: number): Position => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  return {
    locate(pointer, options = {}) {
      const start = parseOnce();
      if (!start?.range) return { line: 1, column: 1 };
      let node: Node = start;
      let nodeOffset = start.range[0];
      let keyOffset: number | undefined;
      for (const token of tokensOf(pointer)) {
        keyOffset = undefined;
        let next: Node | undefined;
        if (isMap(node)) {
          for (const pair of node.items) {
            if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === token) {
              keyOffset = pair.key.range?.[0];
              next = (pair.value as Node | null) ?? undefined;
              break;
            }
          }
        } else if (isSeq(node) && /^\d+$/.test(token)) {
          next = (node.items[Number(token)] as Node | undefined) ?? undefined;
        }
        if (!next?.range) return toPosition(keyOffset ?? nodeOffset);
        node = next;
        nodeOffset = next.range[0];
      }
      return toPosition(options.key && keyOffset !== undefined ? keyOffset : nodeOffset);
    },
  };
}
