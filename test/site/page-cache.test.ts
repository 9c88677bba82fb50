import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../scripts/api/api-layout.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { AtomicOutput, MANIFEST } from '../../scripts/files/atomic-tree.ts';
import { emitSite } from '../../scripts/site/emit-site.ts';
import { SITE_ROOT } from '../../scripts/site/astro-config.ts';

// The page cache (scripts/site/page-cache.ts): a build with it renders only the pages whose inputs
// changed and takes the others from .cache/site/; its output must be, byte for byte, what a build
// without any cache writes for the same input.
const base = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const config = { ...DEFAULT_CONFIG, name: 'Cache test', baseUrl: 'https://registry.example/sub' };
const OPENAPI = 'openapi: 3.1.0\npaths: {}\n';
let work = '';

interface Built {
  files: Map<string, Buffer>;
  /** Pages Astro rendered in this build (adopted from its staging folder). */
  rendered: string[];
  /** Files taken from the page cache by hard link. */
  linked: string[];
}

interface Input {
  responses: ServerResponse[];
  baseUrl?: string;
  siteRoot?: string;
}

/** The site emitter's path in `mcp-registry build`: into an atomic tree, then the swap. */
async function build(target: string, input: Input, cacheDir?: string): Promise<Built> {
  const tree = new AtomicOutput(target);
  tree.write(OPENAPI_FILE, OPENAPI);
  const rendered: string[] = [];
  const linked: string[] = [];
  const output = {
    stagingParent: tree.stagingParent,
    write: (path: string, content: string | Uint8Array) => tree.write(path, content),
    adopt: (path: string, file: string, hash?: string) => {
      if (path.endsWith('.html')) rendered.push(path);
      tree.adopt(path, file, hash);
    },
    link: (path: string, file: string, hash: string) => {
      linked.push(path);
      tree.link(path, file, hash);
    },
  };
  await emitSite({
    servers: serverViewsFromResponses(input.responses),
    config,
    output,
    openapiYaml: OPENAPI,
    host: 'node',
    ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
    ...(input.siteRoot ? { siteRoot: input.siteRoot } : {}),
    ...(cacheDir ? { cacheDir } : {}),
  });
  tree.commit(true, 'now');
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(target, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name).slice(target.length + 1), readFileSync(join(entry.parentPath, entry.name)));
  }
  files.delete(MANIFEST);
  return { files, rendered: rendered.sort(), linked };
}

let step = 0;
/** The incremental build into dist/ with the cache, and a cold build of the same input without one. */
async function compare(input: Input): Promise<Built> {
  step += 1;
  const incremental = await build(join(work, 'dist'), input, join(work, '.cache', 'site'));
  const cold = await build(join(work, `cold-${step}`), input);
  expect([...incremental.files.keys()].sort()).toEqual([...cold.files.keys()].sort());
  for (const [path, bytes] of cold.files) expect(incremental.files.get(path)?.equals(bytes), path).toBe(true);
  rmSync(join(work, `cold-${step}`), { recursive: true, force: true });
  return incremental;
}

function official(response: ServerResponse): Record<string, unknown> {
  return response._meta?.[OFFICIAL_META_KEY] as unknown as Record<string, unknown>;
}

/** The fixture with one more version of io.github.acme/weather, now its latest. */
function withNewVersion(responses: ServerResponse[]): ServerResponse[] {
  const latest = responses.find((r) => r.server.name === 'io.github.acme/weather' && official(r).isLatest === true) as ServerResponse;
  const next = structuredClone(latest);
  next.server.version = '1.3.0';
  next.server.description = 'Weather, now with alerts';
  const meta = official(next);
  // The day of the registry's last change is in every page's footer: the same day renders only what changed.
  Object.assign(meta, { publishedAt: '2025-10-09T12:00:00Z', updatedAt: '2025-10-09T12:00:00Z', statusChangedAt: '2025-10-09T12:00:00Z', isLatest: true });
  return [
    next,
    ...responses.map((r) =>
      r === latest ? Object.assign(structuredClone(r), { _meta: { ...r._meta, [OFFICIAL_META_KEY]: { ...official(r), isLatest: false } } }) : r,
    ),
  ];
}

function changed(responses: ServerResponse[], name: string, version: string, change: Record<string, unknown>): ServerResponse[] {
  return responses.map((r) => {
    if (r.server.name !== name || r.server.version !== version) return r;
    const copy = structuredClone(r);
    Object.assign(official(copy), change);
    return copy;
  });
}

describe('site page cache', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'site-page-cache-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('after each kind of change renders only what changed and writes what a cold build writes', { timeout: 600_000 }, async () => {
    const first = await compare({ responses: base });
    expect(first.linked).toEqual([]);
    expect(first.rendered.length).toBeGreaterThan(15);

    // Nothing changed: Astro does not run, every page and asset comes from the cache.
    const again = await compare({ responses: base });
    expect(again.rendered).toEqual([]);
    const astroFiles = [...first.files.keys()].filter((p) => !p.startsWith('search/') && p !== 'feed.xml' && p !== OPENAPI_FILE);
    expect(again.linked.sort()).toEqual(astroFiles.sort());

    // One added version: the server's pages, listings showing it, and the pages every build renders.
    const added = withNewVersion(base);
    const one = await compare({ responses: added });
    expect(one.rendered).toContain('servers/io.github.acme/weather/index.html');
    expect(one.rendered).toContain('servers/io.github.acme/weather/versions/1.3.0/index.html');
    expect(one.rendered).toContain('index.html');
    expect(one.rendered).not.toContain('servers/io.github.evil/xss/index.html');
    expect(one.rendered).not.toContain('servers/com.example/remote-db/index.html');
    expect(one.linked).toContain('servers/io.github.evil/xss/index.html');

    // A deprecated version: that server's pages again, not the others'.
    const deprecated = changed(added, 'io.github.acme/weather', '1.1.0', { status: 'deprecated', statusMessage: 'Use 1.3.0' });
    const dep = await compare({ responses: deprecated });
    expect(dep.rendered).toContain('servers/io.github.acme/weather/versions/1.1.0/index.html');
    expect(dep.rendered).not.toContain('servers/io.github.dotnet/files/index.html');

    // A removed server: its page becomes the removal notice.
    const removed = changed(deprecated, 'io.github.dotnet/files', '1.0.0', {
      status: 'deleted',
      statusMessage: 'Gone',
      statusChangedAt: '2025-10-09T13:00:00Z',
    });
    const rem = await compare({ responses: removed });
    expect(rem.rendered).toContain('servers/io.github.dotnet/files/index.html');
    expect(rem.files.get('servers/io.github.dotnet/files/index.html')?.toString('utf8')).toContain('Removed.');
    expect(rem.rendered).not.toContain('servers/io.github.evil/xss/index.html');

    // Another base URL: every link changes, so every page renders.
    const moved = await compare({ responses: removed, baseUrl: 'https://other.example/' });
    expect(moved.linked).toEqual([]);

    // A changed site source: every page renders with it.
    const siteRoot = join(work, 'site');
    cpSync(join(SITE_ROOT, 'src'), join(siteRoot, 'src'), { recursive: true });
    cpSync(join(SITE_ROOT, 'public'), join(siteRoot, 'public'), { recursive: true });
    const layout = join(siteRoot, 'src', 'layouts', 'Base.astro');
    writeFileSync(layout, readFileSync(layout, 'utf8').replace('a static registry of Model Context Protocol servers', 'a registry of MCP servers'));
    const source = await compare({ responses: removed, siteRoot });
    expect(source.linked).toEqual([]);
    expect(source.files.get('index.html')?.toString('utf8')).toContain('a registry of MCP servers');

    // Back to the site's own sources: the cache keeps only the last build's pages, so all render again.
    const back = await compare({ responses: removed });
    expect(back.rendered.length).toBeGreaterThan(0);
  });

  it('refuses a page the page list does not name: it could never be taken from the cache', { timeout: 300_000 }, async () => {
    const siteRoot = join(work, 'site-extra');
    cpSync(join(SITE_ROOT, 'src'), join(siteRoot, 'src'), { recursive: true });
    cpSync(join(SITE_ROOT, 'public'), join(siteRoot, 'public'), { recursive: true });
    writeFileSync(
      join(siteRoot, 'src', 'pages', 'extra.astro'),
      '---\nimport Base from "../layouts/Base.astro";\n---\n<Base title="Extra"><p>extra</p></Base>\n',
    );
    await expect(build(join(work, 'dist-extra'), { responses: base, siteRoot }, join(work, '.cache-extra'))).rejects.toThrow(
      'the site build wrote extra/index.html, a page scripts/site/site-pages.ts does not list',
    );
  });
});
