/**
 * The views of registry.config.yaml (scripts/views/) in `mcp-registry build`: after the registry's
 * own files, each view's catalog runs through the emitters a view has (API, policy outputs, the
 * host's file layout, the site) into `views/<name>/` of the same atomic tree, with the view's base
 * URL; `views.json` lists them. The transparency log is the registry's, one for every view: each
 * view serves it below its path too (hard links to the same files), so a view's `_meta.log` entries
 * point into a log its clients can fetch from the view's base URL. Every host answers a view below
 * its path: `serve` and the Cloudflare worker read views.json, GitHub Pages serves the files as
 * they lie, and for nginx and Netlify the host's files are written again here to carry the views
 * (nginx's configuration and preloaded data, Netlify's edge function with each view's data).
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { apiDataFromResponses } from '../api/api-data.ts';
import type { ApiData } from '../api/api-data.ts';
import type { CatalogInput } from '../catalog/catalog.ts';
import type { FileReport } from '../core/diagnostics.ts';
import { fileReport } from '../core/diagnostics.ts';
import type { OutputTree } from '../files/atomic-tree.ts';
import { writeNetlifyViewFiles } from '../hosts/netlify.ts';
import { writeNginxViewFiles } from '../hosts/nginx.ts';
import type { Approvals } from '../views/approvals.ts';
import { VIEWS_MANIFEST, viewBaseUrl, viewCatalog, viewPath, viewsManifestBody } from '../views/views.ts';
import type { View, ViewsManifest } from '../views/views.ts';
import type { BuildContext, Emitter } from './emitter.ts';
import { emitFully } from './emitter.ts';

/** The emitters that run again for each view, by name; the others write the registry's own files once. */
export const VIEW_EMITTERS: readonly string[] = ['api', 'clients', 'github-pages', 'capabilities', 'site', 'renames'];

/** Writes below `prefix/` of another tree. */
export function prefixedTree(out: OutputTree, prefix: string): OutputTree {
  const at = (path: string) => `${prefix}/${path}`;
  return {
    write: (path, content) => out.write(at(path), content),
    has: (path) => out.has(at(path)),
    alias: (path, existing) => out.alias(at(path), at(existing)),
    adopt: (path, file) => out.adopt(at(path), file),
    get dir() {
      return out.dir;
    },
    get stagingParent() {
      return out.stagingParent;
    },
  };
}

export interface ViewBuild {
  views: readonly View[];
  /** The input the registry's catalog was built from; each view's catalog is rebuilt from part of it. */
  input: CatalogInput;
  approvals: Approvals;
  emitters: readonly Emitter[];
}

/** The registry's log files as this build wrote them (paths below log/, sorted); none when no log was emitted. */
function logFiles(dir: string): string[] {
  const root = join(dir, LOG_DIR);
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const LOG_DIR = 'log';

export async function emitViews(context: BuildContext, build: ViewBuild, out: OutputTree): Promise<FileReport[]> {
  if (build.views.length === 0) return [];
  const reports: FileReport[] = [];
  const manifest: ViewsManifest = { views: [] };
  const log = logFiles(out.dir);
  const hostViews: { name: string; api: ApiData }[] = [];
  for (const view of build.views) {
    const catalog = viewCatalog(view, build.input, context.catalog, build.approvals);
    const api = apiDataFromResponses(
      catalog.entries.map((e) => e.response),
      { aliases: catalog.aliases, metaKey: context.config.metaNamespace },
    );
    const baseUrl = viewBaseUrl(context.baseUrl, view);
    // The view's name is the registry's with the view's title: the site's header, health and the policy outputs say which view this is.
    const viewContext: BuildContext = { ...context, catalog, api, baseUrl, config: { ...context.config, name: `${context.config.name} · ${view.title}` } };
    const tree = prefixedTree(out, viewPath(view));
    for (const emitter of build.emitters) {
      if (!VIEW_EMITTERS.includes(emitter.name) || (emitter.hosts && !emitter.hosts.includes(context.host))) continue;
      const diagnostics = await emitFully(emitter, viewContext, tree);
      if (diagnostics && diagnostics.length > 0) reports.push(fileReport(`(${viewPath(view)}: ${emitter.name})`, diagnostics));
    }
    for (const file of log) out.alias(`${viewPath(view)}/${LOG_DIR}/${file}`, `${LOG_DIR}/${file}`);
    hostViews.push({ name: view.name, api });
    const servers = api.byName.size - (api.aliases?.length ?? 0);
    manifest.views.push({ name: view.name, title: view.title, path: `/${viewPath(view)}/`, baseUrl, servers, versions: api.all.length });
  }
  out.write(VIEWS_MANIFEST, viewsManifestBody(manifest));
  // The nginx emitter's configuration, written again to name the views (a build without it has none to extend).
  if (context.host === 'nginx' && build.emitters.some((e) => e.name === 'nginx')) writeNginxViewFiles(hostViews, context.nginxRoot, out);
  if (context.host === 'netlify' && build.emitters.some((e) => e.name === 'netlify')) {
    const diagnostics = writeNetlifyViewFiles(context.api, context.config.metaNamespace, hostViews, out);
    if (diagnostics.length > 0) reports.push(fileReport('(views: netlify)', diagnostics));
  }
  return reports;
}
