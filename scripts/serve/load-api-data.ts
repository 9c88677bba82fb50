/** Reads the built snapshot back into router data (the file-system edge of the router). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ServerListResponse } from '../core/api-types.ts';
import { environmentError } from '../core/errors.ts';
import type { ApiData } from '../api/api-data.ts';
import { apiDataFromResponses } from '../api/api-data.ts';
import { SNAPSHOT_FILE } from '../api/api-layout.ts';

export function apiDataFromSnapshot(gzipped: Uint8Array): ApiData {
  const parsed = JSON.parse(gunzipSync(gzipped).toString('utf8')) as ServerListResponse;
  return apiDataFromResponses(parsed.servers);
}

export async function loadApiData(dist: string): Promise<ApiData> {
  const file = join(dist, SNAPSHOT_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw environmentError(`cannot read ${file}: run \`mcp-registry build\` first (${(error as Error).message})`, error);
  }
  try {
    return apiDataFromSnapshot(bytes);
  } catch (error) {
    throw environmentError(`${file} is not a valid snapshot: ${(error as Error).message}; rebuild with \`mcp-registry build\``, error);
  }
}
