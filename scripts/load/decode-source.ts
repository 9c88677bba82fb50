/**
 * Bytes of a version file → text, or the diagnostic that says why there is no usable text.
 * Pure: the file system edge hands in the bytes.
 */
import { isUtf8 } from 'node:buffer';
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { LoadCode } from './codes.ts';
import { lineColumnAt } from './positions.ts';

/** server.json files are small; anything this large is a mistake, not a server. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** The text, or the one diagnostic that says why there is none. */
export type Decoded = Result<string, Diagnostic>;

function fail(code: LoadCode, message: string, line = 1, column = 1): Decoded {
  return err(diagnostic(code, message, { line, column }));
}

export function decodeSource(bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_FILE_BYTES) {
    return fail(
      'file/too-large',
      `the file is ${bytes.length} bytes; a server.json may be at most ${MAX_FILE_BYTES} bytes. Remove embedded data (icons, long texts) and link to it instead`,
    );
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return fail('encoding/bom', 'the file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM');
  }
  if (!isUtf8(bytes)) {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const at = lossy.indexOf('\uFFFD');
    const { line, column } = lineColumnAt(lossy, Math.max(at, 0));
    return fail('encoding/invalid-utf8', 'the file is not valid UTF-8; save it as UTF-8', line, column);
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  if (text.trim() === '') {
    return fail('file/empty', 'the file is empty; it must hold one server.json object');
  }
  return ok(text);
}
