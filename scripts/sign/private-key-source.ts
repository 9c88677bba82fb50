/** Where `sign` and the lifecycle commands find the private key: `--key-file PATH` or the environment. */
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { environmentError, usageError } from '../core/errors.ts';
import { parsePrivateKey, publicKeyOf } from './keys.ts';
import type { PublicKeyInfo } from './keys.ts';

export const KEY_ENV = 'MCP_REGISTRY_PRIVATE_KEY';

export interface LoadedKey {
  key: KeyObject;
  pub: PublicKeyInfo;
}

/** The key text from `keyFile` (relative to `cwd`) or `env[KEY_ENV]`; undefined when neither is given. */
export async function privateKeyText(cwd: string, env: Record<string, string | undefined>, keyFile: string | undefined): Promise<string | undefined> {
  if (!keyFile) return env[KEY_ENV] || undefined;
  try {
    return await readFile(resolve(cwd, keyFile), 'utf8');
  } catch (error) {
    throw environmentError(`cannot read the key file ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function loadPrivateKey(text: string): LoadedKey {
  const key = parsePrivateKey(text);
  if (!key.ok) throw usageError(key.error);
  const pub = publicKeyOf(key.value);
  if (!pub.ok) throw usageError(pub.error);
  return { key: key.value, pub: pub.value };
}
