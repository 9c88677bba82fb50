/** Checks that entries from someone else's registry must pass on top of validation (pure). */
import { PUBLISHER_META_KEY } from '../core/api-types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { diagnostic } from '../core/diagnostics.ts';
import { escapeToken } from '../core/json-pointer.ts';
import type { EntryCode } from './codes.ts';
import { isRecord } from '../core/is-record.ts';

/**
 * A server.json may carry only the publisher's own `_meta` key. Any other key (the official
 * registry block, our own namespace, another registry's) would let an upstream forge registry
 * metadata, so the entry is refused rather than silently trimmed.
 */
export function reservedMetaDiagnostics(server: Record<string, unknown>): Diagnostic[] {
  const meta = server._meta;
  if (meta === undefined) return [];
  if (!isRecord(meta)) {
    return [diagnostic('entry/reserved-meta' satisfies EntryCode, '_meta must be an object holding only the publisher-provided key', { pointer: '/_meta' })];
  }
  return Object.keys(meta)
    .filter((key) => key !== PUBLISHER_META_KEY)
    .sort()
    .map((key) =>
      diagnostic(
        'entry/reserved-meta' satisfies EntryCode,
        `_meta key '${key}' is reserved for registries; a server.json may only set '${PUBLISHER_META_KEY}'. The entry is refused so it cannot overwrite registry metadata`,
        { pointer: `/_meta/${escapeToken(key)}` },
      ),
    );
}

/** The bytes we write for an entry we create: pretty JSON, 2-space indent, trailing newline. */
export function renderEntry(server: Record<string, unknown>): string {
  return `${JSON.stringify(server, null, 2)}\n`;
}
