/**
 * The thin edge that turns the catalog into the browsable site: it writes the view model to a
 * temporary file and runs Astro's programmatic build into a staging folder beside the
 * destination; the search index and the Atom feed go straight to their destination. Astro's
 * pages are written once, by Astro, and then moved, never copied: into `output` by
 * `output.adopt` (the build's atomic tree takes each file by rename and records it), or into
 * `outDir` by renaming the top-level entries. Reads the catalog's per-server views, never servers/.
 */
import type { ReadmeFile } from '../readme/readme-file.ts';
import { cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegistryConfig } from '../config/registry-config.ts';
import { summarizeServers } from '../catalog/server-summary.ts';
import type { ServerView } from '../catalog/server-view.ts';
import { environmentError } from '../core/errors.ts';
import { spawnGroup } from '../proc/process-group.ts';
import { resourceErrorInOutput } from '../files/resource-errors.ts';
import { makeTemporaryDir } from '../files/temporaries.ts';
import type { TemporaryDir } from '../files/temporaries.ts';
import { buildSearchIndex } from '../search/search-index.ts';
import { SITE_ROOT } from './astro-config.ts';
import type { SiteConfigOptions } from './astro-config.ts';
import type { HostKind } from './api-docs.ts';
import { renderAtomFeed, withRenames } from './changes-feed.ts';
import type { RenameChange } from './changes-feed.ts';
import { assembleSiteData, CHANGES_IN_FEED, CHANGES_ON_PAGE } from './site-data.ts';

/** Where the files go when the build owns the output folder (files/atomic-tree.ts's OutputTree fits). */
export interface SiteOutput {
  write(path: string, content: string | Uint8Array): void;
  /**
   * Takes the finished file at `file` (on the tree's file system) as `path`, by rename, and
   * records it as if written: pages are then written once, by Astro.
   */
  adopt(path: string, file: string): void;
  /** The tree's folder: staging goes beside it so that `adopt` renames stay on one file system. */
  readonly dir: string;
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
}

export interface EmitSiteResult {
  /** Top-level entries written into outDir, sorted. */
  entries: string[];
  servers: number;
}

export const FEED_PATH = 'feed.xml';

async function writeFiles(root: string, files: Map<string, string>): Promise<void> {
  for (const [path, content] of files) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Hands Astro's staged files to the output tree, by rename. */
async function deliver(staging: string, output: SiteOutput): Promise<void> {
  for (const path of await filesBelow(staging)) output.adopt(path, join(staging, path));
}

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

function runAstroBuild(options: SiteConfigOptions): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnGroup(process.execPath, [BUILD_PROCESS, JSON.stringify(options)], {
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
      if (code === 0) resolvePromise();
      else
        reject(
          resourceErrorInOutput(output, options.outDir) ??
            environmentError(`the site build (Astro, in ${options.root ?? SITE_ROOT}) failed with exit code ${code}:\n${output.trim()}`),
        );
    });
  });
}

/** Every file below `root` as a sorted relative POSIX path. */
async function filesBelow(root: string): Promise<string[]> {
  const found = await readdir(root, { recursive: true, withFileTypes: true });
  return found
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function emitSite(options: EmitSiteOptions): Promise<EmitSiteResult> {
  if (options.output === undefined && options.outDir === undefined) throw new Error('emitSite needs outDir or output');
  const config = options.baseUrl === undefined ? options.config : { ...options.config, baseUrl: options.baseUrl };
  const data = assembleSiteData(options.servers, config, options.openapiYaml, options.host, options.readmes);
  data.changes = withRenames(data.changes, options.renames ?? [], CHANGES_ON_PAGE);
  const extra = new Map<string, string>([
    ...buildSearchIndex(summarizeServers(options.servers, { metaNamespace: config.metaNamespace }), { metaNamespace: config.metaNamespace }),
    [FEED_PATH, renderAtomFeed(data.changes.slice(0, CHANGES_IN_FEED), { siteUrl: data.siteUrl, title: data.model.registryName })],
  ]);

  // Every temporary is named after this process, so a later build removes it if this one is killed.
  const temporaries: TemporaryDir[] = [];
  const temporary = (parent: string, kind: string) => {
    const made = makeTemporaryDir(parent, kind);
    temporaries.push(made);
    return made.path;
  };
  try {
    const dataDir = temporary(tmpdir(), 'mcp-site-data-');
    // Staging beside its destination keeps the final renames on one file system.
    const stagingParent = options.output === undefined ? (options.outDir as string) : dirname(options.output.dir);
    const staging = temporary(stagingParent, '.site-staging-');
    // Astro keeps build chunks in <root>/.astro, so concurrent builds each get a copy of the
    // project (inside site/.astro, where node_modules still resolves).
    const buildRoot = temporary(BUILDS_DIR, 'b-');
    for (const part of ['src', 'public']) {
      await cp(join(SITE_ROOT, part), join(buildRoot, part), { recursive: true, force: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    const dataFile = join(dataDir, 'site.json');
    await writeFile(dataFile, JSON.stringify(data));
    await runAstroBuild({ root: buildRoot, dataFile, siteUrl: data.siteUrl, outDir: staging, cacheDir: join(dataDir, 'cache') });
    if (options.output !== undefined) {
      const output = options.output;
      const entries = [...new Set([...(await readdir(staging)), ...[...extra.keys()].map((p) => p.split('/')[0] as string)])].sort();
      await deliver(staging, output);
      for (const [path, content] of extra) output.write(path, content);
      return { entries, servers: data.model.servers.length };
    }
    await writeFiles(staging, extra);
    const entries = (await readdir(staging)).sort();
    for (const entry of entries) {
      const target = join(options.outDir as string, entry);
      await rm(target, { recursive: true, force: true });
      await rename(join(staging, entry), target);
    }
    return { entries, servers: data.model.servers.length };
  } finally {
    for (const made of temporaries.reverse()) made.remove();
  }
}
