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
 * - words: one array in code-unit order, front-coded like the name (sorted words share their
 *   start); the expanded object lists its index entries in that order too (MiniSearch's own
 *   `toJSON()` follows its tree's insertion order: the same entries, so the same index once loaded);
 * - postings: one array beside the words; per word, groups of fields that hold the word in the
 *   same documents with the same frequencies (a name word is usually in the title and the
 *   description too), each as `[bit mask of the field ids, short ids as differences from the one
 *   before (ascending), term frequencies (left out when all are 1)]`.
 */
import type { AsPlainObject } from 'minisearch';
import { processTerm, tokenize } from './search-options.ts';

/** `[bit mask of field ids, short-id gaps, term frequencies (absent: all 1)]`. */
export type CompactPostings = [number, number[]] | [number, number[], number[]];

/** This encoding's version (`compact` in the JSON); MiniSearch's own is in `serializationVersion`. */
export const COMPACT_VERSION = 3;

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
  /** The indexed words (of the fields neither derived nor deferred) in code-unit order, front-coded. */
  words: unknown[];
  /** Per word (same order), its postings grouped by fields with equal ones. */
  postings: CompactPostings[][];
  /** Fields whose postings and lengths are not here but in a DeferredPostings file (splitIndex; their fieldLength columns are []). */
  deferred?: string[];
  /** Fields whose postings and lengths are computed from the stored columns (deriveFields; their fieldLength columns are []). */
  derived?: string[];
  /** Stored columns that are not here but in a StoredRows file (splitRows). */
  rows?: string[];
  serializationVersion: number;
}

function ascending(a: number, b: number): number {
  return a - b;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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

/** Per field id, a word's documents as [short id, term frequency] pairs. */
type FieldPairs = [number, [number, number][]][];

/** Pure: one word's postings, fields with equal lists under one bit mask (see the module comment). */
function groupPostings(fields: FieldPairs): CompactPostings[] {
  const groups = new Map<string, CompactPostings>();
  for (const [field, unsorted] of [...fields].sort((a, b) => a[0] - b[0])) {
    const pairs = [...unsorted].sort((a, b) => a[0] - b[0]);
    const gaps = pairs.map(([s], i) => s - (i === 0 ? 0 : (pairs[i - 1] as [number, number])[0]));
    const tfs = pairs.map(([, tf]) => tf);
    const rest: [number[]] | [number[], number[]] = tfs.every((tf) => tf === 1) ? [gaps] : [gaps, tfs];
    const key = JSON.stringify(rest);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [1 << field, ...rest]);
    else group[0] |= 1 << field;
  }
  return [...groups.values()];
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
  const entries = [...(js.index as [string, Record<string, Record<string, number>>][])].sort((a, b) => byCodeUnit(a[0], b[0]));
  const postings = entries.map(([, fields]) =>
    groupPostings(
      Object.entries(fields).map(([field, docs]): FieldPairs[number] => [
        Number(field),
        Object.entries(docs).map(([s, tf]): [number, number] => [Number(s), tf]),
      ]),
    ),
  );
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
 * Pure: what `compactIndex(index.toJSON(), storeFields, frontCoded)` gives for a MiniSearch index
 * with these options after `addAll(documents)`, computed without building the index (its radix
 * tree costs most of the time at registry size). Undefined unless every document's id is its
 * position (the build's documents), where MiniSearch's short ids and ids coincide.
 */
export function compactFromDocuments(
  documents: readonly Readonly<Record<string, unknown>>[],
  fields: readonly string[],
  storeFields: readonly string[],
  frontCoded: readonly string[] = [],
): CompactIndex | undefined {
  if (!documents.every((d, i) => d.id === i)) return undefined;
  const fieldIds: Record<string, number> = {};
  fields.forEach((field, id) => {
    fieldIds[field] = id;
  });
  const fieldLength = fields.map(() => new Array<number>(documents.length).fill(0));
  const averageFieldLength: number[] = [];
  const storedFields: Record<string, unknown[]> = {};
  for (const name of storeFields) storedFields[name] = documents.map((d) => (d[name] !== undefined ? d[name] : null));
  // Per word, per field id: the documents holding it (ascending, as they are added) and how often.
  const words = new Map<string, Map<number, [number[], number[]]>>();
  documents.forEach((document, doc) => {
    fields.forEach((field, id) => {
      const value = document[field];
      if (value === null || value === undefined) return;
      const tokens = tokenize(String(value));
      const length = new Set(tokens).size;
      (fieldLength[id] as number[])[doc] = length;
      // MiniSearch's running average (addFieldLength), operation for operation: the same float.
      averageFieldLength[id] = ((averageFieldLength[id] || 0) * doc + length) / (doc + 1);
      for (const token of tokens) {
        const word = processTerm(token);
        if (word === '') continue;
        let perField = words.get(word);
        if (perField === undefined) {
          perField = new Map();
          words.set(word, perField);
        }
        let list = perField.get(id);
        if (list === undefined) {
          list = [[], []];
          perField.set(id, list);
        }
        const [docs, tfs] = list;
        const last = docs.length - 1;
        if (last >= 0 && docs[last] === doc) tfs[last] = (tfs[last] as number) + 1;
        else {
          docs.push(doc);
          tfs.push(1);
        }
      }
    });
  });
  const sorted = [...words.keys()].sort(byCodeUnit);
  const postings = sorted.map((word) => {
    const perField = words.get(word) as Map<number, [number[], number[]]>;
    return groupPostings([...perField].map(([id, [docs, tfs]]): FieldPairs[number] => [id, docs.map((d, i): [number, number] => [d, tfs[i] as number])]));
  });
  const coded = frontCoded.filter((name) => storeFields.includes(name));
  for (const name of coded) storedFields[name] = frontCode(storedFields[name] as unknown[]);
  return {
    compact: COMPACT_VERSION,
    documentCount: documents.length,
    nextId: documents.length,
    fieldIds,
    fieldLength,
    averageFieldLength,
    storedFields,
    ...(coded.length > 0 ? { frontCoded: coded } : {}),
    dirtCount: 0,
    words: frontCode(sorted),
    postings,
    serializationVersion: 2,
  };
}

/** A document's stored fields → the texts of the derived fields (field name → text). */
export type DeriveTexts = (stored: Readonly<Record<string, unknown>>) => Record<string, string>;

/** The stored columns decoded, in short-id order. */
function storedColumns(compact: CompactIndex): [string, unknown[]][] {
  return Object.entries(compact.storedFields).map(([name, column]): [string, unknown[]] => [
    name,
    compact.frontCoded?.includes(name) === true ? frontDecode(column) : column,
  ]);
}

/** One document's stored fields from the decoded columns (null: not stored). */
function storedAt(columns: readonly [string, unknown[]][], i: number): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  for (const [name, column] of columns) {
    const value = column[i];
    if (value !== null && value !== undefined) stored[name] = value;
  }
  return stored;
}

/** Per word: per field id, its documents (short id → term frequency, ascending short ids). */
type DerivedPostings = Map<string, Map<number, Map<number, number>>>;

/** The derived fields' postings and field lengths (field id → column in short-id order). */
interface Derived {
  postings: DerivedPostings;
  fieldLength: Map<number, number[]>;
}

/**
 * Pure: the postings and field lengths of `fields` computed from the stored columns, as
 * MiniSearch.add computes them: a field's length is its number of distinct tokens, each token
 * processed is one occurrence of the word.
 */
function derive(compact: CompactIndex, fields: readonly string[], texts: DeriveTexts): Derived {
  const columns = storedColumns(compact);
  const ids = fields.map((f) => compact.fieldIds[f] as number);
  const postings: DerivedPostings = new Map();
  const fieldLength = new Map<number, number[]>(ids.map((id) => [id, []]));
  const shortIds = compact.shortIds ?? Array.from({ length: compact.documentCount }, (_, i) => i);
  shortIds.forEach((s, i) => {
    const text = texts(storedAt(columns, i));
    fields.forEach((field, f) => {
      const id = ids[f] as number;
      const tokens = tokenize(text[field] ?? '');
      (fieldLength.get(id) as number[]).push(new Set(tokens).size);
      for (const token of tokens) {
        const word = processTerm(token);
        if (word === '') continue;
        const perField = postings.get(word) ?? new Map<number, Map<number, number>>();
        postings.set(word, perField);
        const docs = perField.get(id) ?? new Map<number, number>();
        perField.set(id, docs);
        docs.set(s, (docs.get(s) ?? 0) + 1);
      }
    });
  });
  return { postings, fieldLength };
}

function fieldMask(compact: CompactIndex, fields: readonly string[]): number {
  return fields.reduce((m, f) => m | (1 << (compact.fieldIds[f] as number)), 0);
}

/** Pure: a word's groups restricted to the fields in `mask`. */
function masked(groups: readonly CompactPostings[], mask: number): CompactPostings[] {
  return groups.flatMap(([bits, ...rest]): CompactPostings[] => ((bits & mask) === 0 ? [] : [[bits & mask, ...rest] as CompactPostings]));
}

/** Pure: the words and groups of `words`/`postings` restricted to `mask`, words left without any dropped. */
function restrict(words: readonly string[], postings: readonly CompactPostings[][], mask: number): { words: string[]; postings: CompactPostings[][] } {
  const out: { words: string[]; postings: CompactPostings[][] } = { words: [], postings: [] };
  words.forEach((word, w) => {
    const kept = masked(postings[w] ?? [], mask);
    if (kept.length === 0) return;
    out.words.push(word);
    out.postings.push(kept);
  });
  return out;
}

/** Pure: whether the compact postings of field `id` are exactly the derived ones. */
function samePostings(words: readonly string[], postings: readonly CompactPostings[][], id: number, derived: DerivedPostings): boolean {
  let held = 0;
  for (const docs of derived.values()) if (docs.has(id)) held += 1;
  let seen = 0;
  for (let w = 0; w < words.length; w += 1) {
    const group = (postings[w] ?? []).find(([bits]) => (bits >> id) & 1);
    if (group === undefined) continue;
    seen += 1;
    const docs = derived.get(words[w] as string)?.get(id);
    const [, gaps, tfs] = group;
    if (docs === undefined || docs.size !== gaps.length) return false;
    let s = 0;
    let i = 0;
    for (const [doc, tf] of docs) {
      s += gaps[i] as number;
      if (doc !== s || tf !== (tfs?.[i] ?? 1)) return false;
      i += 1;
    }
  }
  return seen === held;
}

/**
 * Pure: the index without the postings and field lengths of those of `fields` that `texts`
 * reproduces exactly from the stored columns (it names them in `derived`); a field it does not
 * reproduce stays as it is, so the result always expands to the same object.
 */
export function deriveFields(compact: CompactIndex, fields: readonly string[], texts: DeriveTexts): CompactIndex {
  const words = frontDecode(compact.words) as string[];
  const names = fields.filter((f) => Object.hasOwn(compact.fieldIds, f) && compact.deferred?.includes(f) !== true);
  const derived = derive(compact, names, texts);
  const reproduced = names.filter((field) => {
    const id = compact.fieldIds[field] as number;
    const lengths = derived.fieldLength.get(id) as number[];
    const column = compact.fieldLength[id] ?? [];
    return lengths.length === column.length && lengths.every((n, i) => n === column[i]) && samePostings(words, compact.postings, id, derived.postings);
  });
  return withoutDerived(compact, reproduced, words);
}

/**
 * Pure: deriveFields's result when the caller knows that `reproduced` are computed exactly from
 * the stored columns (the build's documents made them from the stored name): no check.
 */
export function withoutDerived(compact: CompactIndex, reproduced: readonly string[], decoded?: readonly string[]): CompactIndex {
  if (reproduced.length === 0) return compact;
  const words = decoded ?? (frontDecode(compact.words) as string[]);
  const kept = restrict(words, compact.postings, ~fieldMask(compact, reproduced));
  return {
    ...compact,
    fieldLength: compact.fieldLength.map((column, id) => (reproduced.some((f) => compact.fieldIds[f] === id) ? [] : column)),
    derived: [...(compact.derived ?? []), ...reproduced],
    words: frontCode(kept.words),
    postings: kept.postings,
  };
}

/**
 * Pure: the compact form → MiniSearch's plain object, ready for `MiniSearch.loadJS`. With the
 * deferred postings of a split index, the same object as before the split; without them, the
 * index of the other fields alone. An index with derived fields needs `texts` (the same
 * function deriveFields was given) to compute them.
 */
export function expandIndex(compact: CompactIndex, deferred?: DeferredPostings, texts?: DeriveTexts, rows?: StoredRows): AsPlainObject {
  const shortIds = compact.shortIds ?? Array.from({ length: compact.documentCount }, (_, i) => i);
  const derivedFields = compact.derived ?? [];
  if (derivedFields.length > 0 && texts === undefined) throw new Error(`search-codec: fields ${derivedFields.join(', ')} are derived and no texts were given`);
  const derived = texts === undefined || derivedFields.length === 0 ? undefined : derive(compact, derivedFields, texts);
  const deferredLength = new Map(deferred?.fields.map((f, i) => [compact.fieldIds[f] as number, deferred.fieldLength[i] ?? []]));
  const lengths = compact.fieldLength.map((column, id) => derived?.fieldLength.get(id) ?? deferredLength.get(id) ?? column);
  const documentIds: Record<string, unknown> = {};
  const fieldLength: Record<string, number[]> = {};
  const storedFields: Record<string, Record<string, unknown>> = {};
  const columns = [...storedColumns(compact), ...Object.entries(rows?.rows ?? {})];
  shortIds.forEach((s, i) => {
    documentIds[s] = compact.documentIds === undefined ? s : compact.documentIds[i];
    fieldLength[s] = lengths.map((column) => column[i] ?? 0);
    storedFields[s] = storedAt(columns, i);
  });
  const parts: Part[] = [{ words: frontDecode(compact.words) as string[], postings: compact.postings }];
  if (deferred !== undefined) parts.push({ words: frontDecode(deferred.words) as string[], postings: deferred.postings });
  const derivedWords = derived === undefined ? [] : [...derived.postings.keys()].sort(byCodeUnit);
  const index = mergeWords([...parts.map((p) => p.words), derivedWords]).map(([word, at]): [string, Record<string, Record<string, number>>] => {
    const fields: Record<string, Record<string, number>> = {};
    parts.forEach((part, p) => {
      const w = at[p] as number;
      if (w === -1) return;
      for (const [mask, gaps, tfs] of part.postings[w] ?? []) {
        const docs: Record<string, number> = {};
        let s = 0;
        gaps.forEach((gap, i) => {
          s += gap;
          docs[s] = tfs?.[i] ?? 1;
        });
        // Fields that share a posting list share the object: MiniSearch.loadJS copies each into a Map.
        for (let field = 0; 2 ** field <= mask; field += 1) if ((mask >> field) & 1) fields[field] = docs;
      }
    });
    if ((at[parts.length] as number) !== -1) {
      for (const [field, docs] of derived?.postings.get(word) ?? []) fields[field] = Object.fromEntries(docs);
    }
    return [word, fields];
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

/** Sorted words with their postings (one entry per word). */
interface Part {
  words: readonly string[];
  postings: readonly CompactPostings[][];
}

/** Pure: sorted word lists merged into one sorted list; per word, its position in each list (-1: not there). */
function mergeWords(lists: readonly (readonly string[])[]): [string, number[]][] {
  const at = lists.map(() => 0);
  const merged: [string, number[]][] = [];
  for (;;) {
    let next: string | undefined;
    for (let l = 0; l < lists.length; l += 1) {
      const word = (lists[l] as readonly string[])[at[l] as number];
      if (word !== undefined && (next === undefined || word < next)) next = word;
    }
    if (next === undefined) return merged;
    const positions = lists.map((list, l) => {
      const w = at[l] as number;
      if (list[w] !== next) return -1;
      at[l] = w + 1;
      return w;
    });
    merged.push([next, positions]);
  }
}

/**
 * The postings of the deferred fields (descriptions, packages, tool names) in their own file:
 * every word these fields hold, in code-unit order and front-coded, with its postings in them.
 */
export interface DeferredPostings {
  compact: typeof COMPACT_VERSION;
  /** The fields whose postings are here (and not in the index). */
  fields: string[];
  /** Per field of `fields` (same order), its length in each document, in short-id order (the index has [] for it). */
  fieldLength: number[][];
  words: unknown[];
  postings: CompactPostings[][];
}

/**
 * Stored columns moved out of the index (splitRows): what only result rows show (title, version
 * and day), fetched beside the index and not waited for. Columns in short-id order, null: not
 * stored.
 */
export interface StoredRows {
  compact: typeof COMPACT_VERSION;
  rows: Record<string, unknown[]>;
}

/**
 * Pure: the compact index split in two: the index without the postings of `fields` (it names
 * them in `deferred`) and without the words only they hold, and those fields' words and postings
 * on their own.
 */
export function splitIndex(compact: CompactIndex, fields: readonly string[]): { index: CompactIndex; deferred: DeferredPostings } {
  const names = fields.filter((f) => Object.hasOwn(compact.fieldIds, f));
  const mask = fieldMask(compact, names);
  const words = frontDecode(compact.words) as string[];
  const own = restrict(words, compact.postings, ~mask);
  const moved = restrict(words, compact.postings, mask);
  const ids = new Set(names.map((f) => compact.fieldIds[f] as number));
  return {
    index: {
      ...compact,
      fieldLength: compact.fieldLength.map((column, id) => (ids.has(id) ? [] : column)),
      deferred: names,
      words: frontCode(own.words),
      postings: own.postings,
    },
    deferred: {
      compact: COMPACT_VERSION,
      fields: names,
      fieldLength: names.map((f) => compact.fieldLength[compact.fieldIds[f] as number] ?? []),
      words: frontCode(moved.words),
      postings: moved.postings,
    },
  };
}

/** Pure: the index without the stored columns `names` (it names them in `rows`), and those columns on their own. */
export function splitRows(compact: CompactIndex, names: readonly string[]): { index: CompactIndex; rows: StoredRows } {
  const moved = names.filter((n) => Object.hasOwn(compact.storedFields, n));
  const columns = new Map(storedColumns(compact));
  const kept = Object.fromEntries(Object.entries(compact.storedFields).filter(([n]) => !moved.includes(n)));
  const frontCoded = compact.frontCoded?.filter((n) => !moved.includes(n));
  const { frontCoded: _, ...rest } = compact;
  return {
    index: { ...rest, storedFields: kept, ...(frontCoded !== undefined && frontCoded.length > 0 ? { frontCoded } : {}), rows: moved },
    rows: { compact: COMPACT_VERSION, rows: Object.fromEntries(moved.map((n) => [n, columns.get(n) as unknown[]])) },
  };
}

/** Whether parsed JSON is the stored rows of splitRows. */
export function isStoredRows(value: unknown): value is StoredRows {
  const rows = (value as { rows?: unknown } | null)?.rows;
  return isCompactIndex(value) && typeof rows === 'object' && rows !== null && !Array.isArray(rows) && !Object.hasOwn(value, 'storedFields');
}

/** Whether parsed JSON is the deferred postings of splitIndex. */
export function isDeferredPostings(value: unknown): value is DeferredPostings {
  return (
    isCompactIndex(value) &&
    Array.isArray((value as { fields?: unknown }).fields) &&
    Array.isArray((value as { fieldLength?: unknown }).fieldLength) &&
    !Object.hasOwn(value, 'storedFields')
  );
}

/** Whether parsed JSON is the compact form of this version (else MiniSearch's own, as format 4 published). */
export function isCompactIndex(value: unknown): value is CompactIndex {
  return typeof value === 'object' && value !== null && (value as { compact?: unknown }).compact === COMPACT_VERSION;
}
