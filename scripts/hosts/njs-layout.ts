/**
 * The shape of `_nginx/api.json` (njs-data.ts writes it, njs-window.ts reads it inside nginx) and
 * the pure helpers both sides share. Nothing here may need node: it is bundled for njs 0.7.
 */
import type { ApiEntry } from '../api/api-data.ts';

/** Entries per block of `NjsApiData.blockUpdated`. */
export const UPDATE_BLOCK = 64;

/** Bits of `NjsApiData.chains`: which listings hold an entry. */
export const IN_VISIBLE = 1;
export const IN_LATEST = 2;

export interface NjsServer {
  /** Indices into `entries` (or `aliasEntries` when `alias`), newest first. */
  versions: number[];
  latest: number;
  byVersion: Record<string, number>;
  alias?: true;
}

export interface NjsApiData {
  /** ApiData.all: name, then version, deleted included. */
  entries: ApiEntry[];
  /** ApiData.visible and ApiData.latest as indices into `entries` (both are in its order). */
  visible: number[];
  latest: number[];
  /** One character per entry, '0' + the IN_* bits: a string, because njs reads a character fast. */
  chains: string;
  /** Every entry's updatedKey, ascending, and the entries in that order (for `updated_since`). */
  updatedKeys: string[];
  updatedOrder: number[];
  /** Per block of UPDATE_BLOCK entries (in `entries` order): the latest updatedKey in it. */
  blockUpdated: string[];
  /**
   * ASCII trigram or 4-gram of a haystack → JSON text of the ascending indices of the entries
   * holding it (a search of 4 or more characters reads 4-grams, which name far fewer entries).
   */
  grams: Record<string, string>;
  /** Identifies the entries' bytes: part of every ETag njs gives a list answer (njs-window.ts). */
  tag: string;
  /** `v:` + version → JSON text of the ascending indices of the entries of that version. */
  versions: Record<string, string>;
  servers: Record<string, NjsServer>;
  /** The entries of renamed-away old names (api-data.ts aliasEntry), which `entries` never holds. */
  aliasEntries: ApiEntry[];
}

/** `text` has no character outside ASCII. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** The distinct `size`-grams of `text` made of ASCII characters only, in order of first appearance (no Set: njs 0.7 has none). */
export function asciiGrams(text: string, size: number): string[] {
  const seen: Record<string, true> = Object.create(null);
  const out: string[] = [];
  for (let i = 0; i + size <= text.length; i += 1) {
    const t = text.slice(i, i + size);
    if (isAscii(t) && seen[t] !== true) {
      seen[t] = true;
      out.push(t);
    }
  }
  return out;
}

/** The global a view's data is preloaded as (http.conf), which the router finds by the view's name in `$mcp_view`; `-` is not in an identifier. */
export function njsViewObject(view: string): string {
  return `mcp_view_${view.replace(/-/g, '_')}`;
}
