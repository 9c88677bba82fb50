/**
 * Pure: the published form of the search index, a compact re-encoding of MiniSearch's
 * `toJSON()` that gzips to a fraction of it (issue 13: the first download before results).
 * Nothing is dropped: `expandIndex(compactIndex(js))` gives MiniSearch's own plain object back,
 * so `MiniSearch.loadJS` loads it as before and every query scores the same.
 *
 * - document ids: left out when every short id is its own document id (the build's case),
 *   else one array in short-id order;
 * - field lengths and stored fields: one column (array in short-id order) per field instead of
 *   one object per document; a stored field a document lacks is `null`;
 * - the columns named in `frontCoded` (the server name: documents are in name order, so
 *   neighbours share their namespace): each string as `[characters shared with the string
 *   before, the rest]` when it shares any;
 * - words: one array in MiniSearch's order, front-coded like the name (sorted words share their
 *   start);
 * - postings: one array beside the words; per word, groups of fields that hold the word in the
 *   same documents with the same frequencies (a name word is usually in the title and the
 *   description too), each as `[bit mask of the field ids, short ids as differences from the one
 *   before (ascending), term frequencies (left out when all are 1)]`.
 */
import type { AsPlainObject } from 'minisearch';

/** `[bit mask of field ids, short-id gaps, term frequencies (absent: all 1)]`. */
export type CompactPostings = [number, number[]] | [number, number[], number[]];

/** This encoding's version (`compact` in the JSON); MiniSearch's own is in `serializationVersion`. */
export const COMPACT_VERSION = 2;

export interface CompactIndex {
  compact: typeof COMPACT_VERSION;
  documentCount: number;
  nextId: number;
  /** Document ids in short-id order; absent when each short id is its document id. */
  documentIds?: unknown[];
  /** The short ids in use, ascending; absent when they are 0 … documentCount - 1. */
  shortIds?: number[];
  fieldIds: Record<string, number>;
  /** Per field id, the length of that field in each document, in short-id order. */
  fieldLength: number[][];
  averageFieldLength: number[];
  /** Per stored field name, its value in each document (null: not stored), in short-id order. */
  storedFields: Record<string, unknown[]>;
  /** Stored columns whose strings are front-coded against the string before (see above). */
  frontCoded?: string[];
  dirtCount: number;
  /** The indexed words in MiniSearch's order, front-coded. */
  words: unknown[];
  /** Per word (same order), its postings grouped by fields with equal ones. */
  postings: CompactPostings[][];
  /** Fields whose postings are not here but in a DeferredPostings file (splitIndex). */
  deferred?: string[];
  serializationVersion: number;
}

function ascending(a: number, b: number): number {
  return a - b;
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i += 1;
  return i;
}

/** Pure: strings as `[shared with the string before, rest]` where they share any; other values as they are. */
export function frontCode(column: readonly unknown[]): unknown[] {
  let before = '';
  return column.map((value) => {
    if (typeof value !== 'string') return value;
    const shared = sharedPrefix(before, value);
    before = value;
    return shared === 0 ? value : [shared, value.slice(shared)];
  });
}

/** Pure: the inverse of frontCode. */
export function frontDecode(column: readonly unknown[]): unknown[] {
  let before = '';
  return column.map((value) => {
    if (typeof value === 'string') before = value;
    else if (Array.isArray(value)) before = before.slice(0, Number(value[0])) + String(value[1]);
    else return value;
    return before;
  });
}

/**
 * Pure: MiniSearch's plain object → the compact form. `storedNames` fixes the columns' order;
 * `frontCoded` names the string columns to front-code.
 */
export function compactIndex(js: AsPlainObject, storedNames: readonly string[], frontCoded: readonly string[] = []): CompactIndex {
  const shortIds = Object.keys(js.documentIds).map(Number).sort(ascending);
  const dense = shortIds.every((s, i) => s === i);
  const identity = shortIds.every((s) => js.documentIds[String(s)] === s);
  const fieldCount = Object.keys(js.fieldIds).length;
  const fieldLength = Array.from({ length: fieldCount }, (_, f) => shortIds.map((s) => js.fieldLength[String(s)]?.[f] ?? 0));
  const storedFields: Record<string, unknown[]> = {};
  for (const name of storedNames) {
    storedFields[name] = shortIds.map((s) => {
      const stored = js.storedFields[String(s)] as Record<string, unknown> | undefined;
      return stored !== undefined && Object.hasOwn(stored, name) ? stored[name] : null;
    });
  }
  const coded = frontCoded.filter((name) => storedNames.includes(name));
  for (const name of coded) storedFields[name] = frontCode(storedFields[name] as unknown[]);
  const entries = js.index as [string, Record<string, Record<string, number>>][];
  const postings = entries.map(([, fields]): CompactPostings[] => {
    const groups = new Map<string, CompactPostings>();
    for (const [field, docs] of Object.entries(fields).sort((a, b) => Number(a[0]) - Number(b[0]))) {
      const pairs = Object.entries(docs)
        .map(([s, tf]): [number, number] => [Number(s), tf])
        .sort((a, b) => a[0] - b[0]);
      const gaps = pairs.map(([s], i) => s - (i === 0 ? 0 : (pairs[i - 1] as [number, number])[0]));
      const tfs = pairs.map(([, tf]) => tf);
      const rest: [number[]] | [number[], number[]] = tfs.every((tf) => tf === 1) ? [gaps] : [gaps, tfs];
      const key = JSON.stringify(rest);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [1 << Number(field), ...rest]);
      else group[0] |= 1 << Number(field);
    }
    return [...groups.values()];
  });
  return {
    compact: COMPACT_VERSION,
    documentCount: js.documentCount,
    nextId: js.nextId,
    ...(dense && identity ? {} : { documentIds: shortIds.map((s) => js.documentIds[String(s)]) }),
    ...(dense ? {} : { shortIds }),
    fieldIds: js.fieldIds,
    fieldLength,
    averageFieldLength: js.averageFieldLength,
    storedFields,
    ...(coded.length > 0 ? { frontCoded: coded } : {}),
    dirtCount: js.dirtCount ?? 0,
    words: frontCode(entries.map(([word]) => word)),
    postings,
    serializationVersion: js.serializationVersion,
  };
}

/**
 * Pure: the compact form → MiniSearch's plain object, ready for `MiniSearch.loadJS`. With the
 * deferred postings of a split index, the same object as before the split; without them, the
 * index of the other fields alone.
 */
export function expandIndex(compact: CompactIndex, deferred?: DeferredPostings): AsPlainObject {
  const shortIds = compact.shortIds ?? Array.from({ length: compact.documentCount }, (_, i) => i);
  const documentIds: Record<string, unknown> = {};
  const fieldLength: Record<string, number[]> = {};
  const storedFields: Record<string, Record<string, unknown>> = {};
  const columns = Object.entries(compact.storedFields).map(([name, column]): [string, unknown[]] => [
    name,
    compact.frontCoded?.includes(name) === true ? frontDecode(column) : column,
  ]);
  shortIds.forEach((s, i) => {
    documentIds[s] = compact.documentIds === undefined ? s : compact.documentIds[i];
    fieldLength[s] = compact.fieldLength.map((column) => column[i] ?? 0);
    const stored: Record<string, unknown> = {};
    for (const [name, column] of columns) {
      const value = column[i];
      if (value !== null && value !== undefined) stored[name] = value;
    }
    storedFields[s] = stored;
  });
  const index = mergedEntries(compact, deferred).map(([word, groups]): [string, Record<string, Record<string, number>>] => {
    const fields: Record<string, Record<string, number>> = {};
    for (const [mask, gaps, tfs] of groups) {
      const docs: Record<string, number> = {};
      let s = 0;
      gaps.forEach((gap, i) => {
        s += gap;
        docs[s] = tfs?.[i] ?? 1;
      });
      // Fields that share a posting list share the object: MiniSearch.loadJS copies each into a Map.
      for (let field = 0; 2 ** field <= mask; field += 1) if ((mask >> field) & 1) fields[field] = docs;
    }
    return [String(word), fields];
  });
  return {
    documentCount: compact.documentCount,
    nextId: compact.nextId,
    documentIds,
    fieldIds: compact.fieldIds,
    fieldLength,
    averageFieldLength: compact.averageFieldLength,
    storedFields,
    dirtCount: compact.dirtCount,
    index,
    serializationVersion: compact.serializationVersion,
  } as AsPlainObject;
}

/**
 * The postings of the deferred fields (descriptions, packages, tool names) in their own file. The
 * words that only these fields hold are here too (`words`, front-coded, at the positions `at`, as
 * gaps, of the whole index's word order); `postings` has one entry per word of that whole order
 * (`[]`: none), so index and deferred merge back in the original order.
 */
export interface DeferredPostings {
  compact: typeof COMPACT_VERSION;
  /** The fields whose postings are here (and not in the index). */
  fields: string[];
  words: unknown[];
  at: number[];
  postings: CompactPostings[][];
}

/**
 * Pure: the compact index split in two: the index without the postings of `fields` (it names
 * them in `deferred`) and without the words only they hold, and those postings and words on
 * their own.
 */
export function splitIndex(compact: CompactIndex, fields: readonly string[]): { index: CompactIndex; deferred: DeferredPostings } {
  const names = fields.filter((f) => Object.hasOwn(compact.fieldIds, f));
  const mask = names.reduce((m, f) => m | (1 << (compact.fieldIds[f] as number)), 0);
  const part = (groups: CompactPostings[], keep: number) =>
    groups.flatMap(([bits, ...rest]): CompactPostings[] => ((bits & keep) === 0 ? [] : [[bits & keep, ...rest] as CompactPostings]));
  const words = frontDecode(compact.words);
  const own: unknown[] = [];
  const ownPostings: CompactPostings[][] = [];
  const only: unknown[] = [];
  const at: number[] = [];
  let last = 0;
  compact.postings.forEach((groups, w) => {
    const kept = part(groups, ~mask);
    if (kept.length > 0) {
      own.push(words[w]);
      ownPostings.push(kept);
    } else {
      only.push(words[w]);
      at.push(w - last);
      last = w;
    }
  });
  return {
    index: { ...compact, deferred: names, words: frontCode(own), postings: ownPostings },
    deferred: { compact: COMPACT_VERSION, fields: names, words: frontCode(only), at, postings: compact.postings.map((groups) => part(groups, mask)) },
  };
}

/** Pure: the words and their postings in the whole index's order, the deferred ones merged in. */
function mergedEntries(compact: CompactIndex, deferred: DeferredPostings | undefined): [unknown, CompactPostings[]][] {
  const own = frontDecode(compact.words);
  if (deferred === undefined) return own.map((word, i) => [word, compact.postings[i] ?? []]);
  const only = frontDecode(deferred.words);
  const merged: [unknown, CompactPostings[]][] = [];
  let next = deferred.at[0] ?? -1;
  let o = 0;
  let d = 0;
  for (let w = 0; w < own.length + only.length; w += 1) {
    const fromDeferred = d < only.length && w === next;
    const word = fromDeferred ? only[d] : own[o];
    const groups = fromDeferred ? [] : (compact.postings[o] ?? []);
    if (fromDeferred) {
      d += 1;
      next += deferred.at[d] ?? 0;
    } else o += 1;
    merged.push([word, [...groups, ...(deferred.postings[w] ?? [])]]);
  }
  return merged;
}

/** Whether parsed JSON is the deferred postings of splitIndex. */
export function isDeferredPostings(value: unknown): value is DeferredPostings {
  return isCompactIndex(value) && Array.isArray((value as { fields?: unknown }).fields) && Array.isArray((value as { at?: unknown }).at);
}

/** Whether parsed JSON is the compact form of this version (else MiniSearch's own, as format 4 published). */
export function isCompactIndex(value: unknown): value is CompactIndex {
  return typeof value === 'object' && value !== null && (value as { compact?: unknown }).compact === COMPACT_VERSION;
}
