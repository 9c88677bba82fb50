/**
 * The site and search index as an emitter of `mcp-registry build`: it renders the catalog's
 * per-server views (never servers/) and the openapi.yaml the API emitter wrote before it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emitter } from '../emit/emitter.ts';
import { emitSite } from './emit-site.ts';

const OPENAPI = 'openapi.yaml';

export const siteEmitter: Emitter = {
  name: 'site',
  async emit(context, out) {
    const openapiYaml = out.has(OPENAPI) ? await readFile(join(out.dir, OPENAPI), 'utf8') : undefined;
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
