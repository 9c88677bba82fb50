/**
 * Keys of `_meta[<metaNamespace>]` the registry writes itself from its own checks and records: the
 * upstream it mirrored (provenance), the transparency-log leaf, inspection results, namespace
 * verification and the rename fields of an alias's answers. An overlay that sets one could show a claim
 * no check made (a "Domain key" line, a log leaf), so it is an error and the key is left out (pure).
 * `approved` is reserved too, but by the approved list, which merges into overlays before the catalog.
 */
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { escapeToken } from '../core/json-pointer.ts';
import type { OverlayFile } from '../core/registry-state.ts';
import type { CatalogCode } from './codes.ts';

export const RESERVED_META_KEYS: ReadonlySet<string> = new Set(['inspection', 'log', 'renamedAt', 'renamedFrom', 'renamedTo', 'upstream', 'verification']);

/** One error per reserved key the overlay sets, at its JSON pointer in the overlay file. */
export function reservedKeyProblems(overlay: OverlayFile): Diagnostic[] {
  const at = (pointer: string, key: string) =>
    diagnostic(
      'catalog/overlay-reserved-key' satisfies CatalogCode,
      `'${key}' is written by the registry from its own checks, never by an overlay; remove it from the overlay`,
      { pointer },
    );
  const out: Diagnostic[] = [];
  for (const key of Object.keys(overlay.meta ?? {}).sort()) if (RESERVED_META_KEYS.has(key)) out.push(at(`/meta/${escapeToken(key)}`, key));
  for (const [version, extra] of Object.entries(overlay.versions ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const key of Object.keys(extra).sort()) if (RESERVED_META_KEYS.has(key)) out.push(at(`/versions/${escapeToken(version)}/${escapeToken(key)}`, key));
  }
  return out;
}

/** `meta` without the reserved keys, so a refused claim never reaches `_meta`. */
export function withoutReservedKeys(meta: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(meta ?? {}).filter(([key]) => !RESERVED_META_KEYS.has(key)));
}
