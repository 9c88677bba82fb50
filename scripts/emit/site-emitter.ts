/**
 * The site and search index as an emitter of `mcp-registry build`: it renders the catalog's
 * per-server views (never servers/) and the openapi.yaml the API emitter wrote before it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OPENAPI_FILE } from '../api/api-layout.ts';
import { emitSite } from '../site/emit-site.ts';
import type { Emitter } from './emitter.ts';

export const siteEmitter: Emitter = {
  name: 'site',
  async emit(context, out) {
    const openapiYaml = out.has(OPENAPI_FILE) ? await readFile(join(out.dir, OPENAPI_FILE), 'utf8') : undefined;
    await emitSite({
      servers: context.catalog.servers,
      config: context.config,
      baseUrl: context.baseUrl,
      host: context.host,
      output: out,
      ...(openapiYaml !== undefined ? { openapiYaml } : {}),
    });
  },
};
