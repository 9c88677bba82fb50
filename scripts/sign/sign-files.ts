/** Writing signatures beside the files they cover (the I/O edge of signing). */
import { readFile } from 'node:fs/promises';
import { environmentError, usageError } from '../core/errors.ts';
import { writeFileAtomically } from '../files/atomic-file.ts';
import type { LoadedKey } from './private-key-source.ts';
import { SIGNATURE_SUFFIX } from './signature-file.ts';
import { serializeStatusSignature, signStatusFile } from './status-signature.ts';

/** `registry/status/<ns>/<name>.yaml` anywhere in a path → `ns/name` (lower-cased, as the layout is). */
export function statusServerOf(path: string): string | undefined {
  const [, namespace, name] = /(?:^|\/)registry\/status\/([^/]+)\/([^/]+)\.yaml$/.exec(path.replace(/\\/g, '/')) ?? [];
  return namespace !== undefined && name !== undefined ? `${namespace.toLowerCase()}/${name.toLowerCase()}` : undefined;
}

/**
 * Signs the status file at `absolute` for `serverName` as the change from `previous` (the bytes it replaces,
 * undefined when it creates the file); returns the signature's path.
 */
export async function signStatusFileAt(absolute: string, serverName: string, loaded: LoadedKey, now: Date, previous: Uint8Array | undefined): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    throw environmentError(`${absolute}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const signed = signStatusFile(loaded.key, { bytes, previous, name: serverName, now });
  if (!signed.ok) throw usageError(signed.error);
  const target = `${absolute}${SIGNATURE_SUFFIX}`;
  await writeFileAtomically(target, serializeStatusSignature(signed.value));
  return target;
}
