/** `_meta` in server.json: only the publisher-provided key, and small. */
import { OFFICIAL_META_KEY, PUBLISHER_META_KEY } from '../../core/api-types.ts';
import { escapeToken } from '../../core/json-pointer.ts';
import { error, strictError } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';
import { isRecord } from '../../core/is-record.ts';

export const MAX_PUBLISHER_META_BYTES = 4096;

export const metaRules = {
  codes: ['meta/reserved-key', 'meta/unknown-key', 'meta/too-large'] as const,
  check(doc): Finding[] {
    const meta = doc._meta;
    if (!isRecord(meta)) return [];
    const out: Finding[] = [];
    for (const key of Object.keys(meta)) {
      const pointer = `/_meta/${escapeToken(key)}`;
      if (key === PUBLISHER_META_KEY) {
        const bytes = Buffer.byteLength(JSON.stringify(meta[key]) ?? '', 'utf8');
        if (bytes > MAX_PUBLISHER_META_BYTES) {
          out.push(
            error(
              'meta/too-large',
              pointer,
              `publisher-provided metadata is ${bytes} bytes of JSON; at most ${MAX_PUBLISHER_META_BYTES} are allowed, so trim it`,
            ),
          );
        }
      } else if (key === OFFICIAL_META_KEY || key.startsWith('io.modelcontextprotocol.registry/')) {
        out.push({ ...strictError('meta/reserved-key', pointer, `'${key}' is written by the registry, never by publishers; remove it`), atKey: true });
      } else {
        out.push({
          ...strictError(
            'meta/unknown-key',
            pointer,
            `'${key}' would not be published: publishers may only set '${PUBLISHER_META_KEY}'; move this data under it`,
          ),
          atKey: true,
        });
      }
    }
    return out;
  },
} satisfies Rule;
