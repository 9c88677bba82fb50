/**
 * `servers/` → dist/: validate, read registry-owned state and git dates, build the catalog,
 * run the emitters into a temporary tree, swap it in. Nothing is written when any input has
 * an error: a registry build either reflects every file or leaves the old dist/ in place.
 * Running out of disk space, quota or file handles is one environment error naming what and where.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { apiDataFromResponses } from '../api/api-data.ts';
import { shareStrings } from '../catalog/shared-strings.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RegistryConfig } from '../config/registry-config.ts';
import { compareInstants } from '../core/compare.ts';
import type { Diagnostic, FileReport, Report } from '../core/diagnostics.ts';
import { fileReport, report, warning } from '../core/diagnostics.ts';
import { gitDateSource } from '../git/git-dates.ts';
import type { DateSource } from '../git/git-dates.ts';
import { buildCaches } from './build-cache.ts';
import { gitLogOrderSource } from '../git/log-order.ts';
import type { LogOrderSource } from '../git/log-order.ts';
import { logLeaves, logOrderOf, readLeafFile, withLogMeta } from './log-emitter.ts';
import { loadOverlaySchema } from '../policy/overlay-schema.ts';
import { validateTree } from '../validate/validate-tree.ts';
import type { BuildCode } from './codes.ts';
import type { BuildContext, Emitter, HostKind } from './emitter.ts';
import { HOSTS_PUBLISHING_EVERY_FILE, isBackgroundWork } from './emitter.ts';
import { defaultEmitters } from './emitters.ts';
import { apiEmitter } from './api-emitter.ts';
import { AtomicOutput } from '../files/atomic-tree.ts';
import type { WriteStats } from '../files/atomic-tree.ts';
import { readRegistryState } from './read-state.ts';
import { mirroredBy, releasedBy } from '../core/registry-state.ts';
import { readInspections } from '../inspect/read-inspections.ts';
import { resourceError } from '../files/resource-errors.ts';
import { environmentError } from '../core/errors.ts';
import { timePhase, timePhaseSync } from '../core/phase-timer.ts';
import type { PhaseSink } from '../core/phase-timer.ts';
import { approvalReports, catalogWithApprovals } from '../views/approval-meta.ts';
import { readApprovals } from '../views/read-approvals.ts';
import { parseViews } from '../views/views.ts';
import { emitViews } from './view-emitter.ts';
import { readOwnerRecords, readVerifiedRecords, signedFileReader, withVerificationMeta } from './verification-meta.ts';

/** The API's OpenAPI document; read once per build into the context (BuildContext.openapiYaml). */
export const OPENAPI_SOURCE = new URL('../../schemas/openapi.yaml', import.meta.url);

export interface BuildOptions {
  root: string;
  config: RegistryConfig;
  /** Output folder (absolute or relative to root); default dist. */
  out?: string;
  host?: HostKind;
  baseUrl?: string;
  dates?: DateSource;
  /** Transparency-log order (first-parent position per path); default: read from git, cached in cacheDir. */
  logOrder?: LogOrderSource;
  emitters?: readonly Emitter[];
  /**
   * Where git dates and validation verdicts are kept between builds (absolute or relative to root;
   * the CLI passes .cache). Without it every build reads the whole history and validates every file.
   */
  cacheDir?: string;
  /** The transparency log's Ed25519 signing key, PKCS#8 PEM text; without it the checkpoint is unsigned. */
  logKey?: string;
  /** `--host nginx`: the absolute path nginx will serve the build from; default the output folder. */
  nginxRoot?: string;
  /** Receives the wall time of each phase (validate, dates, each emitter, …): `build --timings`. */
  timings?: PhaseSink;
}

export interface BuildResult {
  report: Report;
  /** Undefined when the build stopped on errors. */
  written?: { dir: string; stats: WriteStats; servers: number; versions: number };
  catalog?: Catalog;
}

export async function buildRegistry(options: BuildOptions): Promise<BuildResult> {
  const out = resolve(options.root, options.out ?? 'dist');
  try {
    return await buildInto(out, options);
  } catch (error) {
    throw resourceError(error, out) ?? error;
  }
}

async function buildInto(target: string, options: BuildOptions): Promise<BuildResult> {
  const { root, config, timings } = options;
  const host = options.host ?? 'node';
  const caches = options.cacheDir === undefined ? undefined : buildCaches(resolve(root, options.cacheDir));
  // Validated files by stat (validate/entry-cache.ts): unchanged files are neither read nor validated again.
  let entryCache = await timePhase(timings, 'load entries', () => caches?.loadEntries(config));
  const overlaySchema = await loadOverlaySchema(root, config.extra);
  const views = parseViews(config.extra.views);
  if (!views.ok) throw environmentError(`registry.config.yaml: ${views.error.join('; ')}`);
  // registry/approved.yaml: in _meta like an overlay; views may serve only what it approves.
  const approvals = await readApprovals(root);
  const state = await timePhase(timings, 'registry state', () => readRegistryState(root, overlaySchema));
  // A git walk of its own, independent of the files: it runs while validation and the date walk keep this process busy.
  const pendingOrder = timePhase(timings, 'log order', () => logOrderOf(options.logOrder ?? caches?.logOrder ?? gitLogOrderSource, root));
  // Never unhandled: a failure surfaces where the order is awaited, or not at all when validation throws first.
  pendingOrder.catch(() => {});
  const validation = await timePhase(timings, 'validate', () =>
    validateTree(root, config, undefined, undefined, {
      mirrored: mirroredBy(state.provenance),
      released: releasedBy(state.status),
      ...(entryCache ? { entries: entryCache } : {}),
    }),
  );
  // Before the catalog: nothing after validation can change what is recorded.
  if (caches && entryCache) {
    const saved = entryCache;
    await timePhase(timings, 'save entries', () => caches.saveEntries(saved));
  }
  // Its records (every file's stat key, hashes and diagnostics) are not read again: not held for the rest of the build.
  entryCache = undefined;
  const inspections = await readInspections(root);
  const dateSource = options.dates ?? caches?.dates ?? gitDateSource;
  const dates = await timePhase(timings, 'git dates', () =>
    dateSource.read(
      root,
      validation.entries.map((e) => e.path),
    ),
  );
  const fallbackDate = new Date(0).toISOString();
  const order = await pendingOrder;
  const leaves = timePhaseSync(timings, 'log leaves', () => {
    const digests = new Map(validation.entries.map((e) => [e.path, e]));
    return logLeaves({
      entries: validation.entries,
      dates: dates.dates,
      provenance: state.provenance,
      ...order,
      fallbackDate,
      read: readLeafFile(root),
      known: (path: string) => digests.get(path),
    });
  });
  const catalogStarted = performance.now();
  // The versions of a server repeat most of their strings; the catalog and every model made from it share one copy.
  shareStrings(validation.entries.map((e) => e.server));
  const { catalog, input: catalogInput } = catalogWithApprovals(approvals, {
    entries: validation.entries,
    dates: dates.dates,
    status: state.status,
    overlays: state.overlays,
    provenance: state.provenance,
    versionMeta: withVerificationMeta(
      withLogMeta(inspections.meta, leaves),
      validation.entries,
      signedFileReader(root),
      await readOwnerRecords(root),
      await readVerifiedRecords(root),
    ),
    metaNamespace: config.metaNamespace,
    fallbackDate,
    renames: state.renames,
  });
  timings?.('catalog', performance.now() - catalogStarted);
  const files: FileReport[] = [...validation.report.files, ...state.reports, ...inspections.reports, ...approvalReports(approvals, catalog)];
  const byPath = new Map<string, Diagnostic[]>();
  for (const { path, diagnostic } of catalog.diagnostics) byPath.set(path, [...(byPath.get(path) ?? []), diagnostic]);
  for (const [path, diagnostics] of byPath) files.push(fileReport(path, diagnostics));
  if (dates.shallow) {
    files.push(
      fileReport('servers', [
        warning(
          'build/shallow-clone' satisfies BuildCode,
          'this is a shallow clone, so publishedAt may be later than the first commit of a file; fetch the full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)',
        ),
      ]),
    );
  }
  const result: BuildResult = { report: report(files), catalog };
  if (!result.report.ok) return result;

  const api = timePhaseSync(timings, 'api model', () =>
    apiDataFromResponses(
      catalog.entries.map((e) => e.response),
      { aliases: catalog.aliases, metaKey: config.metaNamespace },
    ),
  );
  const newest = api.all.reduce((max, e) => (compareInstants(e.updatedAt, max) > 0 ? e.updatedAt : max), new Date(0).toISOString());
  const context: BuildContext = {
    root,
    config,
    catalog,
    api,
    host,
    baseUrl: (options.baseUrl ?? config.baseUrl).replace(/\/+$/, ''),
    builtAt: dates.head?.date ?? newest,
    ...(dates.head ? { commit: dates.head.commit } : {}),
    openapiYaml: await readFile(OPENAPI_SOURCE, 'utf8'),
    servesApi: (options.emitters ?? defaultEmitters).some((e) => e.name === apiEmitter.name && (!e.hosts || e.hosts.includes(host))),
    ...(options.logKey === undefined ? {} : { logKey: options.logKey }),
    logLeaves: leaves,
    nginxRoot: options.nginxRoot ?? target,
    ...(options.cacheDir === undefined ? {} : { cacheDir: resolve(root, options.cacheDir) }),
    ...(timings === undefined ? {} : { timings }),
  };
  const out = timePhaseSync(timings, 'output tree', () => new AtomicOutput(target));
  // Emitters working in the background (the site's Astro run): the ones after them run meanwhile.
  const pending: { name: string; work: Promise<Diagnostic[] | undefined> }[] = [];
  const join = async (extra: FileReport[]) => {
    for (const { name, work } of pending.splice(0)) {
      const diagnostics = await work;
      if (diagnostics && diagnostics.length > 0) extra.push(fileReport(`(${name})`, diagnostics));
    }
  };
  try {
    const extra: FileReport[] = [];
    for (const emitter of options.emitters ?? defaultEmitters) {
      if (emitter.hosts && !emitter.hosts.includes(host)) continue;
      if (emitter.joins) await join(extra);
      const result = await timePhase(timings, `emit ${emitter.name}`, () => emitter.emit(context, out));
      if (isBackgroundWork(result)) {
        const started = performance.now();
        const work = result.background.then((d) => {
          timings?.(`emit ${emitter.name} (in the background)`, performance.now() - started);
          return d ?? undefined;
        });
        // Never unhandled: a failure surfaces when the build joins it (below, or in the catch).
        work.catch(() => {});
        pending.push({ name: emitter.name, work });
      } else if (result && result.length > 0) extra.push(fileReport(`(${emitter.name})`, result));
    }
    await join(extra);
    const viewBuild = { views: views.value, input: catalogInput, approvals: approvals.approvals, emitters: options.emitters ?? defaultEmitters };
    extra.push(...(await timePhase(timings, 'views', () => emitViews(context, viewBuild, out))));
    if (extra.length > 0) {
      result.report = report([...files, ...extra]);
      if (!result.report.ok) {
        out.abort();
        return result;
      }
    }
    // The tree swapped out stays as the spare the next build starts from (files/atomic-tree.ts).
    timePhaseSync(timings, 'commit', () => out.commit(!HOSTS_PUBLISHING_EVERY_FILE.includes(host), 'spare'));
  } catch (error) {
    // A child process still writing into the tree must end before the tree goes.
    await Promise.allSettled(pending.map((p) => p.work));
    out.abort();
    throw error;
  }
  result.written = { dir: out.target, stats: out.stats, servers: api.byName.size - (api.aliases?.length ?? 0), versions: api.all.length };
  return result;
}
