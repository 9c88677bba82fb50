/**
 * A large site is rendered by several Astro runs, each over the data of one batch of pages, so that
 * neither the site's data file nor the Astro process ever holds the whole registry: the data of a
 * batch is every server as the pages listing it read it (listedServer) plus the full model of the
 * batch's own servers only. A server's pages stay in one batch; the pages without parameters (which
 * Astro renders on every run) belong to the first. The data file is written server by server, never
 * as one string (V8 cannot hold a string above ~512 MiB).
 */
import { open } from 'node:fs/promises';
import type { SiteData } from './site-data.ts';
import { listedServer } from './site-pages.ts';
import type { SitePage } from './site-pages.ts';

/** Pages one Astro run renders at most (a server with more pages than this gets a run of its own). */
export const SITE_BATCH_PAGES = 20_000;
export const BATCH_PAGES_VARIABLE = 'MCP_SITE_BATCH_PAGES';

/** The bound from `MCP_SITE_BATCH_PAGES` (a positive integer), SITE_BATCH_PAGES otherwise. */
export function batchPagesBound(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[BATCH_PAGES_VARIABLE]);
  return Number.isSafeInteger(value) && value > 0 ? value : SITE_BATCH_PAGES;
}

/**
 * Pure: the pages to render cut into batches of at most `bound` pages, in the order given, a
 * server's pages together and the fixed pages in the first batch. One batch when all fit.
 */
export function renderBatches(pages: readonly SitePage[], bound: number): SitePage[][] {
  const groups: SitePage[][] = [];
  const fixed = pages.filter((page) => page.fixed);
  if (fixed.length > 0) groups.push(fixed);
  const byServer = new Map<string, SitePage[]>();
  for (const page of pages) {
    if (page.fixed) continue;
    if (page.server === undefined) {
      groups.push([page]);
      continue;
    }
    const group = byServer.get(page.server);
    if (group !== undefined) group.push(page);
    else {
      const made = [page];
      byServer.set(page.server, made);
      groups.push(made);
    }
  }
  const batches: SitePage[][] = [];
  let current: SitePage[] = [];
  for (const group of groups) {
    if (current.length > 0 && current.length + group.length > bound) {
      batches.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0 || batches.length === 0) batches.push(current);
  return batches;
}

const MARK = '\u0000servers\u0000';
const CHUNK = 1 << 20;

/**
 * Writes the site's data as JSON into `file`, a server at a time. With `render`, only the pages
 * with those routes render: the servers they belong to get their full model, every other server
 * what the pages listing it read (the file stays small). Parses to what JSON.stringify would write.
 */
export async function writeSiteData(file: string, data: SiteData, render?: readonly SitePage[]): Promise<void> {
  const full = render === undefined ? undefined : new Set(render.flatMap((page) => (page.server === undefined ? [] : [page.server])));
  const rest: SiteData = { ...data, model: { ...data.model, servers: MARK as never } };
  if (render !== undefined) rest.render = render.map((page) => page.route);
  const [head, tail] = JSON.stringify(rest).split(JSON.stringify(MARK)) as [string, string];
  const handle = await open(file, 'w');
  try {
    let buffered = `${head}[`;
    let first = true;
    for (const server of data.model.servers) {
      const shown = full === undefined || full.has(server.name) ? server : listedServer(server);
      buffered += (first ? '' : ',') + JSON.stringify(shown);
      first = false;
      if (buffered.length >= CHUNK) {
        await handle.write(buffered);
        buffered = '';
      }
    }
    await handle.write(`${buffered}]${tail}`);
  } finally {
    await handle.close();
  }
}
