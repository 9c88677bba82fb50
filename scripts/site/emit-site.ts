/**
 * The thin edge that turns the catalog into the browsable site: it writes the view model to a
 * temporary file and runs Astro's programmatic build into a staging folder beside the
 * destination; the search index and the Atom feed go straight to their destination. Astro's
 * pages are written once, by Astro, and then moved, never copied: into `output` by
 * `output.adopt` (the build's atomic tree takes each file by rename and records it), or into
 * `outDir` by renaming the top-level entries. Reads the catalog's per-server views, never servers/.
 */
import type { ReadmeFile } from '../readme/readme-file.ts';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegistryConfig } from '../config/registry-config.ts';
import { summarizeServers } from '../catalog/server-summary.ts';
import type { ServerView } from '../catalog/server-view.ts';
import { environmentError } from '../core/errors.ts';
import { timePhase, timePhaseSync } from '../core/phase-timer.ts';
import type { PhaseSink } from '../core/phase-timer.ts';
import { spawnGroup } from '../proc/process-group.ts';
import { resourceErrorInOutput } from '../files/resource-errors.ts';
import { contentHash } from '../files/atomic-tree.ts';
import { makeTemporaryDir, removeStaleTemporaries } from '../files/temporaries.ts';
import type { TemporaryDir } from '../files/temporaries.ts';
import { buildSearchIndex } from '../search/search-index.ts';
import { SITE_ROOT } from './astro-config.ts';
import type { SiteConfigOptions } from './astro-config.ts';
import type { HostKind } from './api-docs.ts';
import { renderAtomFeed, withRenames } from './changes-feed.ts';
import type { RenameChange } from './changes-feed.ts';
import { PageCache, pageCacheDir } from './page-cache.ts';
import { CHANGES_IN_FEED, CHANGES_ON_PAGE } from './site-data.ts';
import { assembleCachedSiteData } from './server-model-cache.ts';
import type { SiteData } from './site-data.ts';
import { BATCH_PAGES_VARIABLE, batchPagesBound, renderBatches, writeSiteData } from './site-batches.ts';
import { sitePages } from './site-pages.ts';
import type { SitePage } from './site-pages.ts';
import { siteStamp } from './site-stamp.ts';

/** Where the files go when the build owns the output folder (files/atomic-tree.ts's OutputTree fits). */
export interface SiteOutput {
  write(path: string, content: string | Uint8Array): void;
  /**
   * Takes the finished file at `file` (on the tree's file system) as `path`, by rename, and
   * records it as if written: pages are then written once, by Astro.
   */
  adopt(path: string, file: string, hash?: string): void;
  /**
   * `path` gets the bytes of the finished file `file` (whose contentHash is `hash`) by a hard link,
   * `file` staying where it is: pages from the page cache. Absent: they are linked into staging and adopted.
   */
  link?(path: string, file: string, hash: string): void;
  /**
   * A folder on the tree's file system where staging goes, so that `adopt` renames stay on one file
   * system (OutputTree.stagingParent: reading it leaves a reused spare's pages in place).
   */
  readonly stagingParent: string;
}

export interface EmitSiteOptions {
  /** The catalog's per-server views (or serverViewsFromResponses of an API snapshot). */
  servers: readonly ServerView[];
  config: RegistryConfig;
  /** Folder the site is moved into (other files there are left alone); used when `output` is absent. */
  outDir?: string;
  output?: SiteOutput;
  /** Public URL of the build (`--base-url`); config.baseUrl when absent. */
  baseUrl?: string;
  /** The registry's /openapi.yaml, rendered as the API docs page. */
  openapiYaml?: string;
  /** The host kind of the build: the API page says which parameters it answers. */
  host?: HostKind;
  /** The renames the build followed: each is an entry of the changes page and the Atom feed. */
  renames?: readonly RenameChange[];
  /** READMEs the readme stage recorded (registry/readmes/), by lower-cased server name. */
  readmes?: ReadonlyMap<string, ReadmeFile>;
  /**
   * The site's page cache (`.cache/site/`, see page-cache.ts): only pages whose inputs changed are
   * rendered, the others are taken from it. No cache: every page is rendered.
   */
  cacheDir?: string;
  /** The Astro project whose src/ and public/ are built (tests build a changed copy); SITE_ROOT when absent. */
  siteRoot?: string;
  /** Receives the wall time of each phase (`build --timings`), named `site: …`. */
  timings?: PhaseSink;
  /**
   * Called once the first Astro process has started: from then on the build's other emitters may
   * run while this one waits for it (emit/emitter.ts, BackgroundWork). Not called when nothing renders.
   */
  onRendering?: () => void;
}

export interface EmitSiteResult {
  /** Top-level entries written into outDir, sorted. */
  entries: string[];
  servers: number;
  /** Astro runs of this build: 0 when the page cache had everything, more than 1 when rendered in batches. */
  astroRuns: number;
}

export const FEED_PATH = 'feed.xml';

async function writeFiles(root: string, files: Map<string, string>): Promise<void> {
  for (const [path, content] of files) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

const RUN_KIND = '.site-run-';
const BUILDS_DIR = join(SITE_ROOT, '.astro', 'builds');
const BUILD_PROCESS = fileURLToPath(new URL('./astro-build-process.ts', import.meta.url));

/** Vite reads these from the environment; a caller running under Vite or Vitest must not leak them in. */
const VITE_KEYS = new Set(['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST']);

function buildEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (!VITE_KEYS.has(key) && !key.startsWith('VITE') && !key.startsWith('VITEST')) clean[key] = value;
  }
  return { ...clean, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' };
}

/** An Astro process: `done` settles when it ends; `cancel` ends one whose pages are not wanted after all. */
interface AstroRun {
  done: Promise<void>;
  cancel(): Promise<void>;
}

/**
 * Starts Astro on `options.dataFile`, which may not exist yet: the site's data module waits for it
 * (astro-config.ts), so Astro's start and bundling overlap the main process computing the data.
 */
function startAstroBuild(options: SiteConfigOptions): AstroRun {
  let cancelled = false;
  let child: ReturnType<typeof spawnGroup> | undefined;
  const done = new Promise<void>((resolvePromise, reject) => {
    child = spawnGroup(process.execPath, [BUILD_PROCESS, JSON.stringify(options)], {
      cwd: options.root ?? SITE_ROOT,
      env: buildEnvironment(process.env),
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(environmentError(`cannot start the site build (${process.execPath}): ${error.message}`, error)));
    child.on('close', (code) => {
      if (code === 0 || cancelled) resolvePromise();
      else
        reject(
          resourceErrorInOutput(output, options.outDir) ??
            environmentError(`the site build (Astro, in ${options.root ?? SITE_ROOT}) failed with exit code ${code}:\n${output.trim()}`),
        );
    });
  });
  // Never unhandled: a failure surfaces where the run is awaited, or not at all when it is cancelled.
  done.catch(() => undefined);
  return {
    done,
    cancel: async () => {
      cancelled = true;
      child?.kill('SIGKILL');
      await done.catch(() => undefined);
    },
  };
}

/** Writes the site data so that a run waiting for the file never reads half of it. */
async function handOver(dataFile: string, data: SiteData, render?: readonly SitePage[]): Promise<void> {
  const partial = `${dataFile}.partial`;
  await writeSiteData(partial, data, render);
  await rename(partial, dataFile);
}

/** Every file below `root` as a sorted relative POSIX path. */
async function filesBelow(root: string): Promise<string[]> {
  const found = await readdir(root, { recursive: true, withFileTypes: true });
  return found
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The pages a build renders and the pages and assets it takes from the page cache. */
interface CachePlan {
  cache: PageCache;
  assetsKey: string;
  /** Cached assets of the same sources and URL (Astro need not run when no page must render either). */
  assets: Record<string, string> | undefined;
  /** Pages to render, by file. */
  render: Map<string, SitePage>;
  /** Cached pages still to be linked into staging (outputs that cannot link). */
  later: { page: SitePage; hash: string }[];
}

function digestOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('base64url');
}

/**
 * Takes every cached page it can; the others are to render. Pages without parameters are taken
 * only when nothing else must render (Astro renders them whenever it runs).
 */
function planFromCache(cacheDir: string, data: SiteData, pages: readonly SitePage[], stamp: string, output: SiteOutput | undefined): CachePlan {
  // Pages of another source stamp are never reused: they go at the save, as one folder.
  const cache = new PageCache(pageCacheDir(cacheDir, data.siteUrl), `g${digestOf('site-pages 1', stamp).slice(0, 12)}`);
  const assetsKey = digestOf('site-assets 1', stamp, data.siteUrl);
  const plan: CachePlan = { cache, assetsKey, assets: cache.assets(assetsKey), render: new Map(), later: [] };
  if (plan.assets !== undefined && Object.values(plan.assets).some((hash) => !existsSync(cache.assetFile(hash)))) plan.assets = undefined;
  const take = (page: SitePage): boolean => {
    const hash = cache.pageHash(page.key);
    if (hash === undefined) return false;
    const file = cache.pageFile(page.key);
    if (output?.link) {
      try {
        output.link(page.file, file, hash);
      } catch {
        return false;
      }
    } else if (existsSync(file)) plan.later.push({ page, hash });
    else return false;
    cache.keepPage(page.key, hash);
    return true;
  };
  for (const page of pages) if (!page.fixed && !take(page)) plan.render.set(page.file, page);
  const fixed = pages.filter((page) => page.fixed);
  // Astro runs anyway when a page must render or the assets are not cached: it renders these too.
  const needsAstro = plan.render.size > 0 || plan.assets === undefined || fixed.some((page) => cache.pageHash(page.key) === undefined);
  for (const page of fixed) if (needsAstro || !take(page)) plan.render.set(page.file, page);
  return plan;
}

/**
 * Takes the files Astro's runs wrote, a run at a time, as each run ends: every file is read once
 * (its content hash goes to the page cache and the output, neither reads it again), its page stored
 * in the cache and handed to `take` (the output adopts it from the run's folder). The assets and
 * fixed pages of the first run are taken; every later run must have written the same ones, byte for
 * byte (the same content hashes), or the build fails rather than mix two renderings.
 */
class RunCollector {
  /** Path → content hash of the first run's assets and fixed pages. */
  private shared: Map<string, string> | undefined;
  /** Pages that must render and no run has written yet. */
  private readonly pending: Set<string>;
  /** Top-level entries of everything taken. */
  readonly top = new Set<string>();

  private readonly plan: CachePlan | undefined;
  private readonly byFile: ReadonlyMap<string, SitePage>;
  private readonly fixed: ReadonlySet<string>;
  private readonly take: (path: string, file: string, hash: string) => void;

  constructor(
    plan: CachePlan | undefined,
    byFile: ReadonlyMap<string, SitePage>,
    fixed: ReadonlySet<string>,
    take: (path: string, file: string, hash: string) => void,
  ) {
    this.plan = plan;
    this.byFile = byFile;
    this.fixed = fixed;
    this.take = take;
    this.pending = new Set(plan?.render.keys() ?? []);
  }

  /** The files of one run below `runDir`; `batch`: the files of the pages this run renders (absent: one run of them all). */
  async collect(runDir: string, batch: ReadonlySet<string> | undefined): Promise<void> {
    const first = this.shared === undefined;
    const shared = this.shared ?? new Map<string, string>();
    this.shared = shared;
    let sharedSeen = 0;
    for (const path of await filesBelow(runDir)) {
      const file = join(runDir, path);
      const hash = contentHash(readFileSync(file));
      const page = path.endsWith('.html');
      const isShared = !page || this.fixed.has(path);
      if (!first && isShared) {
        if (shared.get(path) !== hash) throw batchesDiffer(path);
        sharedSeen += 1;
        continue;
      }
      if (first && isShared) shared.set(path, hash);
      if (page && this.plan !== undefined) {
        const known = this.byFile.get(path);
        if (known === undefined) throw new Error(`the site build wrote ${path}, a page scripts/site/site-pages.ts does not list`);
        if (!this.plan.render.has(path) && !known.fixed) throw new Error(`the site build rendered ${path}, which the page cache had`);
        this.plan.cache.storePage(known.key, file, hash);
      } else if (!page && this.plan !== undefined) this.plan.cache.storeAsset(path, file, hash);
      if (page && batch !== undefined && !isShared && !batch.has(path)) throw environmentError(`the site build wrote ${path} in two batches`);
      this.pending.delete(path);
      this.top.add(path.split('/')[0] as string);
      this.take(path, file, hash);
    }
    if (!first && sharedSeen !== shared.size) {
      throw batchesDiffer([...shared.keys()].find((path) => !existsSync(join(runDir, path))) ?? [...shared.keys()][0] ?? 'its assets');
    }
  }

  /** The assets and fixed pages of the first run (a later run's copies of them are not taken). */
  sharedPaths(): ReadonlySet<string> {
    return new Set(this.shared?.keys() ?? []);
  }

  /** Fails when a page that had to render was not written by any run. */
  finish(): void {
    for (const path of this.pending) throw new Error(`the site build did not write ${path}`);
  }
}

function batchesDiffer(path: string): Error {
  return environmentError(
    `the site build's batches differ in ${path}: an Astro run over one batch wrote other assets or fixed pages than the first (set ${BATCH_PAGES_VARIABLE} above the site's page count to build in one run)`,
  );
}

/**
 * Moves what `from` holds into `to` (outDir builds, which have no output tree to adopt into): a
 * folder `to` does not have yet goes whole, by one rename; the files in `skip` (a later run's
 * shared files) stay.
 */
async function moveTree(from: string, to: string, skip: ReadonlySet<string>): Promise<void> {
  const holdsSkipped = new Set<string>();
  for (const path of skip) for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) holdsSkipped.add(path.slice(0, i));
  const move = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(from, rel), { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const source = join(from, path);
      const target = join(to, path);
      if (entry.isDirectory()) {
        if (!holdsSkipped.has(path) && !existsSync(target)) await rename(source, target);
        else {
          await mkdir(target, { recursive: true });
          await move(path);
        }
      } else if (!skip.has(path)) {
        if (existsSync(target)) throw environmentError(`the site build wrote ${path} in two batches`);
        await rename(source, target);
      }
    }
  };
  await move('');
}

/** Waits for both (neither rejection goes unhandled); fails with the first's error, else the second's. */
async function settleBoth(first: Promise<void>, second: Promise<void>): Promise<void> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    copyFileSync(from, to);
  }
}

export async function emitSite(options: EmitSiteOptions): Promise<EmitSiteResult> {
  if (options.output === undefined && options.outDir === undefined) throw new Error('emitSite needs outDir or output');
  const config = options.baseUrl === undefined ? options.config : { ...options.config, baseUrl: options.baseUrl };
  const siteRoot = options.siteRoot ?? SITE_ROOT;
  const timings = options.timings;
  const siteUrl = config.baseUrl.replace(/\/+$/, '');
  // Every temporary is named after this process, so a later build removes it if this one is killed.
  const temporaries: TemporaryDir[] = [];
  const temporary = (parent: string, kind: string) => {
    const made = makeTemporaryDir(parent, kind);
    temporaries.push(made);
    return made.path;
  };
  let early: AstroRun | undefined;
  try {
    // Staging beside its destination keeps the final renames on one file system.
    const stagingParent = options.output === undefined ? (options.outDir as string) : options.output.stagingParent;
    // A batch's run folder a killed build left is swept by every build, batched or not.
    removeStaleTemporaries(stagingParent, RUN_KIND);
    const dataDir = temporary(tmpdir(), 'mcp-site-data-');
    // Astro keeps build chunks in <root>/.astro, so concurrent builds each get a copy of the
    // project (inside site/.astro, where node_modules still resolves).
    const buildRoot = temporary(BUILDS_DIR, 'b-');
    for (const part of ['src', 'public']) {
      await cp(join(siteRoot, part), join(buildRoot, part), { recursive: true, force: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    const astroOptions = (outDir: string, dataFile: string): SiteConfigOptions => ({
      root: buildRoot,
      dataFile,
      siteUrl,
      outDir,
      cacheDir: join(dataDir, 'cache'),
    });
    // The first run starts before its data exists: Astro's start and bundling (seconds) overlap the
    // model, page keys and cache plan below. It is cancelled when no page needs rendering.
    const first = { runDir: temporary(stagingParent, RUN_KIND), dataFile: join(dataDir, 'site-0.json') };
    early = startAstroBuild(astroOptions(first.runDir, first.dataFile));

    const data = timePhaseSync(timings, 'site: model', () =>
      assembleCachedSiteData(options.cacheDir, options.servers, config, options.openapiYaml, options.host, options.readmes),
    );
    data.changes = withRenames(data.changes, options.renames ?? [], CHANGES_ON_PAGE);
    const stamp = options.cacheDir === undefined ? undefined : await siteStamp(siteRoot);
    const pages = stamp === undefined ? undefined : timePhaseSync(timings, 'site: page keys', () => sitePages(data, stamp));
    const byFile = new Map((pages ?? []).map((p) => [p.file, p]));
    const staging = temporary(stagingParent, '.site-staging-');
    const plan =
      options.cacheDir === undefined || pages === undefined || stamp === undefined
        ? undefined
        : timePhaseSync(timings, 'site: page cache', () => planFromCache(options.cacheDir as string, data, pages, stamp, options.output));
    const astro = plan === undefined || plan.render.size > 0 || plan.assets === undefined;
    if (!astro) {
      await early.cancel();
      early = undefined;
    }
    let astroRuns = 0;
    const output = options.output;
    const top = new Set<string>();
    let extra = new Map<string, string>();
    // Computed once Astro has its data, while it renders; into the output tree at once, so they are not held.
    const searchAndFeed = () => {
      extra = timePhaseSync(
        timings,
        'site: search index and feed',
        () =>
          new Map<string, string>([
            ...buildSearchIndex(summarizeServers(options.servers, { metaNamespace: config.metaNamespace }), { metaNamespace: config.metaNamespace }),
            [FEED_PATH, renderAtomFeed(data.changes.slice(0, CHANGES_IN_FEED), { siteUrl: data.siteUrl, title: data.model.registryName })],
          ]),
      );
      for (const path of extra.keys()) top.add(path.split('/')[0] as string);
      if (output !== undefined) {
        for (const [path, content] of extra) output.write(path, content);
        extra.clear();
      }
    };
    // The previous index is read only by the plan: a cold render does not hold every stale key.
    plan?.cache.forgetIndex();
    // With an output tree every file Astro wrote is adopted from the folder it was rendered into
    // (a run's folder): written once, moved once. Without, the files go into staging.
    const fixed = new Set<string>();
    const collector = new RunCollector(plan, byFile, fixed, (path, file, hash) => {
      if (output !== undefined) output.adopt(path, file, hash);
    });
    if (!astro) searchAndFeed();
    else {
      const waiting = early;
      /** Hands `batch` (all pages when undefined) to a run: the early one for the first, a new process for the others. */
      const run = async (runDir: string, dataFile: string, batch: readonly SitePage[] | undefined) => {
        astroRuns += 1;
        await handOver(dataFile, data, batch);
        const started = performance.now();
        const running = astroRuns === 1 && waiting !== undefined ? waiting : startAstroBuild(astroOptions(runDir, dataFile));
        if (astroRuns === 1) {
          options.onRendering?.();
          searchAndFeed();
        }
        await running.done;
        timings?.('site: astro', performance.now() - started);
      };
      const collect = (dir: string, batch: ReadonlySet<string> | undefined) =>
        timePhase(timings, 'site: take rendered pages', () => collector.collect(dir, batch));
      const bound = batchPagesBound();
      // Without a cache every page renders; its list is only needed when the server pages alone may not fit one run.
      const serverPages = pages !== undefined ? pages.length : data.model.servers.reduce((sum, server) => sum + 1 + server.versionPages.length, 0);
      const toRender =
        plan !== undefined ? [...plan.render.values()] : pages !== undefined ? pages : serverPages > bound / 2 ? sitePages(data, 'uncached') : [];
      const batches = renderBatches(toRender, bound);
      // Each run renders one batch into a folder of its own. A run's files are taken from there
      // (and its folder removed) while the next run renders: one Astro process at a time, and the
      // runs' files are still taken in run order (the first run's assets are the reference).
      if (batches.length > 1) for (const page of toRender) if (page.fixed) fixed.add(page.file);
      let taking: Promise<void> = Promise.resolve();
      for (let index = 0; batches.length > 0; index += 1) {
        // A batch's page list goes as soon as its run is taken.
        const batch = batches.shift() as SitePage[];
        const runDir = index === 0 ? first.runDir : temporary(stagingParent, RUN_KIND);
        const dataFile = index === 0 ? first.dataFile : join(dataDir, `site-${index}.json`);
        // One run of every page renders them all (no list); a run of some, or a batch, names its pages.
        const only = index === 0 && batches.length === 0 && !(plan !== undefined && plan.render.size < byFile.size) ? undefined : batch;
        const rendered = run(runDir, dataFile, only);
        await settleBoth(taking, rendered);
        await rm(dataFile, { force: true });
        const isFirst = index === 0;
        // A single run's files are all taken; a batch's, only its own pages (and the first run's assets).
        const taken = isFirst && batches.length === 0 ? undefined : new Set(batch.map((page) => page.file));
        taking = (async () => {
          await collect(runDir, taken);
          if (output === undefined) await moveTree(runDir, staging, isFirst ? new Set() : collector.sharedPaths());
          await rm(runDir, { recursive: true, force: true });
        })();
        // Awaited with the next run (or after the last): a failure meanwhile is not unhandled.
        taking.catch(() => undefined);
      }
      await taking;
      early = undefined;
      collector.finish();
    }
    if (plan !== undefined) {
      timePhaseSync(timings, 'site: store cached files', () => {
        // When Astro did not run, the assets come from the cache too.
        const cached = [
          ...(astro ? [] : Object.entries(plan.assets ?? {}).map(([path, hash]) => ({ path, file: plan.cache.assetFile(hash), hash }))),
          ...plan.later.map(({ page, hash }) => ({ path: page.file, file: plan.cache.pageFile(page.key), hash })),
        ];
        plan.later = [];
        for (const { path, file, hash } of cached) {
          collector.top.add(path.split('/')[0] as string);
          if (output?.link) output.link(path, file, hash);
          else {
            // Linked into staging, then adopted like a rendered file.
            const staged = join(staging, path);
            mkdirSync(dirname(staged), { recursive: true });
            linkOrCopy(file, staged);
            output?.adopt(path, staged, hash);
          }
        }
      });
      await timePhase(timings, 'site: save page cache', () => plan.cache.save(plan.assetsKey, astro ? undefined : plan.assets));
    }
    if (output !== undefined) {
      // Pages linked from the page cache went into the output directly.
      for (const path of byFile.keys()) collector.top.add(path.split('/')[0] as string);
      for (const name of top) collector.top.add(name);
      return { entries: [...collector.top].sort(), servers: data.model.servers.length, astroRuns };
    }
    await writeFiles(staging, extra);
    const entries = (await readdir(staging)).sort();
    for (const entry of entries) {
      const target = join(options.outDir as string, entry);
      await rm(target, { recursive: true, force: true });
      await rename(join(staging, entry), target);
    }
    return { entries, servers: data.model.servers.length, astroRuns };
  } finally {
    // A run still waiting for data that never came (the build failed first) ends before its folders go.
    await early?.cancel();
    for (const made of temporaries.reverse()) made.remove();
  }
}
