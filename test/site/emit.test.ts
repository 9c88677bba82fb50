import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../scripts/api/api-layout.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import type { BuildContext } from '../../scripts/emit/emitter.ts';
import { siteEmitter } from '../../scripts/emit/site-emitter.ts';
import { emitFully } from '../../scripts/emit/emitter.ts';
import { AtomicOutput, MANIFEST } from '../../scripts/files/atomic-tree.ts';
import { emitSite } from '../../scripts/site/emit-site.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';

// Hostile values the validator would reject still reach emitSite through other doors (sync,
// overlays, a future schema), so the site is built here straight from the fixture responses.
const responses = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const config = { ...DEFAULT_CONFIG, name: 'Emit test', baseUrl: 'https://registry.example/sub' };
let work = '';
let first = '';
let second = '';
const viaOutput: Map<string, string>[] = [];
const written: { adopted: string[]; written: string[] }[] = [];
const OPENAPI = 'openapi: 3.1.0\npaths: {}\n';

/**
 * What `mcp-registry build` does for the site: the site emitter, handed the build's atomic tree
 * (in a build whose emitters include the API, which writes openapi.yaml), then the swap. Records how each file arrived.
 */
async function buildThroughOutputTree(target: string, serverResponses: ServerResponse[]): Promise<Map<string, string>> {
  const tree = new AtomicOutput(target);
  tree.write(OPENAPI_FILE, OPENAPI);
  const how = { adopted: [] as string[], written: [] as string[] };
  written.push(how);
  const recording = Object.assign(Object.create(tree) as AtomicOutput, {
    write: (path: string, content: string | Uint8Array) => {
      how.written.push(path);
      tree.write(path, content);
    },
    adopt: (path: string, file: string) => {
      how.adopted.push(path);
      tree.adopt(path, file);
    },
  });
  const context = {
    catalog: { servers: serverViewsFromResponses(serverResponses) },
    config,
    baseUrl: config.baseUrl,
    host: 'node',
    openapiYaml: OPENAPI,
    servesApi: true,
    api: { aliases: [] },
  } as unknown as BuildContext;
  await emitFully(siteEmitter, context, recording);
  tree.commit();
  const out = files(target);
  out.delete(MANIFEST);
  out.delete(OPENAPI_FILE);
  return out;
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path.slice(dir.length + 1), readFileSync(path, 'utf8'));
    }
  }
  return out;
}

describe('emitSite', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'site-emit-'));
    first = join(work, 'a');
    second = join(work, 'b');
    // At the same time, as parallel test files and builds do: each must get its own Astro workspace.
    await Promise.all([
      emitSite({ servers: serverViewsFromResponses(responses), config, outDir: first, openapiYaml: OPENAPI, host: 'node' }),
      emitSite({ servers: serverViewsFromResponses([...responses].reverse()), config, outDir: second, openapiYaml: OPENAPI, host: 'node' }),
    ]);
    // The path production takes: the site emitter into the build's atomic tree.
    viaOutput.push(await buildThroughOutputTree(join(work, 'dist-a'), responses));
    viaOutput.push(await buildThroughOutputTree(join(work, 'dist-b'), [...responses].reverse()));
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('never turns a javascript: URL into a link or an image', () => {
    for (const [path, text] of files(first)) {
      expect(text, path).not.toMatch(/(href|src)\s*=\s*["']?\s*javascript:/i);
    }
  });

  it('shows a javascript: repository as text on the server page', () => {
    const page = readFileSync(join(first, 'servers/io.github.evil/xss/index.html'), 'utf8');
    expect(page).toContain('<span>javascript:window.__pwned=2 (not a web link)</span>');
  });

  it('loads an SVG icon only through an img element', () => {
    const page = readFileSync(join(first, 'servers/io.github.evil/xss/index.html'), 'utf8');
    expect(page).toContain('<img class="icon" data-icon src="https://evil.example/icon.svg" alt=""');
    expect(page).not.toContain('<svg');
  });

  it('writes a removal notice, not the server, for a deleted server', () => {
    const page = files(first).get('servers/io.github.gone/vanished/index.html') ?? '';
    expect(page).toContain('Removed.');
    expect(page).not.toContain('install-heading');
  });

  it('links pages below the base URL path', () => {
    const home = readFileSync(join(first, 'index.html'), 'utf8');
    expect(home).toContain('href="/sub/browse/"');
    expect(readFileSync(join(first, 'feed.xml'), 'utf8')).toContain('<link href="https://registry.example/sub/servers/io.github.old/legacy-search/"/>');
  });

  it("writes byte-identical files for the same catalog through the build's output tree, the same as into a folder", () => {
    const [a, b] = viaOutput as [Map<string, string>, Map<string, string>];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
    const folder = files(first);
    expect([...a.keys()].sort()).toEqual([...folder.keys()].sort());
    for (const [path, text] of a) expect(folder.get(path), path).toBe(text);
  });

  it("moves Astro's pages into the build's tree by rename: only the search index and the feed are written", () => {
    for (const how of written) {
      expect(how.adopted.filter((p) => p.endsWith('.html')).length).toBeGreaterThan(3);
      expect(how.written.filter((p) => !p.startsWith('search/') && p !== 'feed.xml')).toEqual([]);
    }
    // Nothing staged is left beside the tree.
    expect(readdirSync(work).sort()).toEqual(['a', 'b', 'dist-a', 'dist-b']);
  });

  it('writes byte-identical files for the same catalog', () => {
    const a = files(first);
    const b = files(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
  });
});
