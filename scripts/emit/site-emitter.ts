/**
 * The site and search index as an emitter of `mcp-registry build`: it renders the catalog's
 * per-server views (never servers/) and, when the build's emitters include the API (which serves
 * /openapi.yaml), the build context's OpenAPI text as the API docs page, and the READMEs recorded in registry/readmes/.
 * With the build's caches it renders only the pages whose inputs changed (`.cache/site/`). Once
 * Astro runs (a child process), the rest is background work: the build's next emitters run meanwhile.
 */
import { join } from 'node:path';
import { readReadmes } from '../readme/read-readmes.ts';
import { emitSite } from '../site/emit-site.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { OutputTree } from '../files/atomic-tree.ts';
import type { BuildContext, Emitter } from './emitter.ts';

export const siteEmitter: Emitter = {
  name: 'site',
  async emit(context, out) {
    let rendering = () => {};
    const started = new Promise<'started'>((resolve) => {
      rendering = () => resolve('started');
    });
    const work = render(context, out, rendering);
    // Once Astro runs in its own process, the emitters after this one go on meanwhile.
    const first = await Promise.race([
      started,
      work.then(
        () => 'done' as const,
        () => 'done' as const,
      ),
    ]);
    return first === 'done' ? work : { background: work };
  },
};

async function render(context: BuildContext, out: OutputTree, onRendering: () => void): Promise<Diagnostic[]> {
  // READMEs are registry-owned state the readme stage fetched; the build only reads them.
  const readmes = typeof context.root === 'string' ? await readReadmes(context.root) : { readmes: new Map(), reports: [] };
  await emitSite({
    onRendering,
    readmes: readmes.readmes,
    servers: context.catalog.servers,
    config: context.config,
    baseUrl: context.baseUrl,
    host: context.host,
    output: out,
    // Pages whose inputs did not change since the last build come from .cache/site/ (site/page-cache.ts).
    ...(context.cacheDir === undefined ? {} : { cacheDir: join(context.cacheDir, 'site') }),
    ...(context.timings === undefined ? {} : { timings: context.timings }),
    ...(context.servesApi ? { openapiYaml: context.openapiYaml } : {}),
    ...(context.api.aliases && context.api.aliases.length > 0 ? { renames: context.api.aliases } : {}),
  });
  return readmes.reports.flatMap((r) => r.diagnostics.map((d) => ({ ...d, message: `${r.path}: ${d.message}` })));
}
