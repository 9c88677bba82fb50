/** Reads the built snapshot back into router data (the file-system edge of the router). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ServerListResponse } from '../core/api-types.ts';
import { environmentError } from '../core/errors.ts';
import type { ApiData } from '../api/api-data.ts';
import { apiDataFromResponses, parseRenamesBody } from '../api/api-data.ts';
import { RENAMES_FILE, SNAPSHOT_FILE } from '../api/api-layout.ts';
import { VIEWS_MANIFEST } from '../views/views.ts';
import type { ViewsManifest } from '../views/views.ts';

/** `renames`: the text of v0.1/renames.json, so old names answer as they do on the static hosts. */
export function apiDataFromSnapshot(gzipped: Uint8Array, renames?: string): ApiData {
  const parsed = JSON.parse(gunzipSync(gzipped).toString('utf8')) as ServerListResponse;
  return renames === undefined ? apiDataFromResponses(parsed.servers) : apiDataFromResponses(parsed.servers, parseRenamesBody(renames));
}

/** A build from before renames has no renames file: its old names simply answer nothing. */
async function readRenames(dist: string): Promise<string | undefined> {
  try {
    return await readFile(join(dist, RENAMES_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw environmentError(`cannot read ${join(dist, RENAMES_FILE)}: ${(error as Error).message}`, error);
  }
}

export async function loadApiData(dist: string): Promise<ApiData> {
  const file = join(dist, SNAPSHOT_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw environmentError(`cannot read ${file}: run \`mcp-registry build\` first (${(error as Error).message})`, error);
  }
  const renames = await readRenames(dist);
  try {
    return apiDataFromSnapshot(bytes, renames);
  } catch (error) {
    throw environmentError(`${file} is not a valid snapshot: ${(error as Error).message}; rebuild with \`mcp-registry build\``, error);
  }
}

/** The build's views (dist/views.json, absent when it declares none), each with its own snapshot. */
export async function loadViews(dist: string): Promise<{ prefix: string; dist: string; data: ApiData }[]> {
  let manifest: ViewsManifest;
  try {
    manifest = JSON.parse(await readFile(join(dist, VIEWS_MANIFEST), 'utf8')) as ViewsManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw environmentError(`cannot read ${join(dist, VIEWS_MANIFEST)}: ${(error as Error).message}; rebuild with \`mcp-registry build\``, error);
  }
  const out: { prefix: string; dist: string; data: ApiData }[] = [];
  for (const view of manifest.views ?? []) {
    const path = view.path.replace(/^\/+|\/+$/g, '');
    if (!/^views\/[a-z0-9-]+$/.test(path)) throw environmentError(`${join(dist, VIEWS_MANIFEST)}: '${view.path}' is not a view path (/views/<name>/)`);
    out.push({ prefix: `/${path}`, dist: join(dist, path), data: await loadApiData(join(dist, path)) });
  }
  return out;
}
