/**
 * The transparency log under dist/log/ (issue 17): one entry per published version — name,
 * version, SHA-256 of the exact bytes of its server.json, publishedAt — in publication order
 * (publishedAt from git history, then name, then version), as C2SP tlog-tiles with a signed-note
 * checkpoint. The checkpoint is signed when the build has the registry's Ed25519 key (PKCS#8 PEM,
 * `build --log-key FILE` or MCP_REGISTRY_LOG_KEY); without it the checkpoint carries no signature line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareInstants } from '../core/compare.ts';
import { encodeEntry, orderEntries, sha256Hex } from '../translog/entry.ts';
import type { LogEntry } from '../translog/entry.ts';
import { rootHash } from '../translog/merkle.ts';
import { checkpointBody, signCheckpoint, verifierKeyString } from '../translog/note.ts';
import { logTiles } from '../translog/tiles.ts';
import { createPrivateKey } from 'node:crypto';
import type { Emitter } from './emitter.ts';

/** The log's origin line: the registry's public URL without its scheme, then `/log`. */
export function logOrigin(baseUrl: string): string {
  return `${baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '')}/log`;
}

/** The signing key's name: the host of the registry's public URL. */
export function logKeyName(baseUrl: string): string {
  return logOrigin(baseUrl).split('/')[0] as string;
}

export interface LogFiles {
  files: Map<string, Uint8Array | string>;
  entries: LogEntry[];
}

/** The files of dist/log/ (paths relative to it) for these versions. */
export function logFiles(
  versions: readonly { name: string; version: string; bytes: Uint8Array; publishedAt: string }[],
  baseUrl: string,
  privateKeyPem: string | undefined,
): LogFiles {
  const instants = [...new Set(versions.map((v) => v.publishedAt))].sort(compareInstants);
  const rank = new Map(instants.map((t, i) => [t, i]));
  const entries = orderEntries(
    versions.map((v) => ({
      entry: { name: v.name, version: v.version, sha256: sha256Hex(v.bytes), publishedAt: v.publishedAt },
      order: rank.get(v.publishedAt) as number,
    })),
  );
  const { files: tiles, leaves } = logTiles(entries.map(encodeEntry));
  const files = new Map<string, Uint8Array | string>(tiles);
  const checkpoint = { origin: logOrigin(baseUrl), size: leaves.length, root: rootHash(leaves) };
  if (privateKeyPem === undefined || privateKeyPem.trim() === '') {
    files.set('checkpoint', `${checkpointBody(checkpoint)}\n`);
  } else {
    const name = logKeyName(baseUrl);
    const note = signCheckpoint(checkpoint, name, privateKeyPem);
    if (!note.ok) throw new Error(`MCP_REGISTRY_LOG_KEY: ${note.error}`);
    files.set('checkpoint', note.value);
    const vkey = verifierKeyString(name, createPrivateKey(privateKeyPem));
    if (!vkey.ok) throw new Error(`MCP_REGISTRY_LOG_KEY: ${vkey.error}`);
    files.set('key', `${vkey.value}\n`);
  }
  return { files, entries };
}

export const logEmitter: Emitter = {
  name: 'log',
  emit(context, out) {
    const versions = context.catalog.entries.map((e) => ({
      name: e.name,
      version: e.version,
      bytes: new Uint8Array(readFileSync(join(context.root, e.path))),
      publishedAt: e.official.publishedAt,
    }));
    const { files } = logFiles(versions, context.baseUrl, context.logKey);
    for (const [path, content] of files) out.write(`log/${path}`, content);
  },
};
