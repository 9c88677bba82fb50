import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../scripts/config/registry-config.ts';
import type { ServerResponse } from '../scripts/core/api-types.ts';
import { emitSite } from '../scripts/site/emit-site.ts';
import { serverViewsFromResponses } from '../scripts/catalog/server-view.ts';

// Hostile values the validator would reject still reach emitSite through other doors (sync,
// overlays, a future schema), so the site is built here straight from the fixture responses.
const responses = JSON.parse(readFileSync(new URL('fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const config = { ...DEFAULT_CONFIG, name: 'Emit test', baseUrl: 'https://registry.example/sub' };
let work = '';
let first = '';
let second = '';
const viaOutput: Map<string, string>[] = [];

/** The build's output tree as `mcp-registry build` hands it to the site emitter (scripts/emit OutputTree). */
function collectingOutput(files: Map<string, string>) {
  return {
    write(path: string, content: string | Uint8Array) {
      files.set(path, typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));
    },
  };
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
    const a = new Map<string, string>();
    const b = new Map<string, string>();
    viaOutput.push(a, b);
    await Promise.all([
      emitSite({ servers: serverViewsFromResponses(responses), config, outDir: first, openapiYaml: 'openapi: 3.1.0\npaths: {}\n' }),
      emitSite({ servers: serverViewsFromResponses([...responses].reverse()), config, outDir: second, openapiYaml: 'openapi: 3.1.0\npaths: {}\n' }),
    ]);
    // The path production takes: the build's output tree, as the site emitter passes it.
    await emitSite({ servers: serverViewsFromResponses(responses), config, output: collectingOutput(a), openapiYaml: 'openapi: 3.1.0\npaths: {}\n' });
    await emitSite({
      servers: serverViewsFromResponses([...responses].reverse()),
      config,
      output: collectingOutput(b),
      openapiYaml: 'openapi: 3.1.0\npaths: {}\n',
    });
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

  it('writes byte-identical files for the same catalog', () => {
    const a = files(first);
    const b = files(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
  });
});
