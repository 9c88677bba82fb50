/**
 * Search on the real registry in a real browser: the official registry's 2025-10-10 data
 * (../shared/data when present, else the trimmed copy test/fixtures/site/live-search-2025-10-10.json)
 * imported with `mcp-registry import`, built with `mcp-registry build`, served with `serve` and
 * typed into the home page's box in Debian's chromium, keystroke by keystroke, as a person would.
 * The servers people obviously mean come first, and the pages pass axe-core at both widths.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM as CHROMIUM_SERVER, hasSystemServer } from '../helpers/system-server.ts';

const hasChromium = hasSystemServer(CHROMIUM_SERVER, 'search on the real registry in a real browser');
const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'scripts/cli/main.ts');
const shared = join(repo, '../shared/data/official-live-2025-10-10.json');
const data = existsSync(shared) ? shared : join(repo, 'test/fixtures/site/live-search-2025-10-10.json');

let work = '';
let serve: ChildProcess | undefined;
let baseUrl = '';
let browser: Browser | undefined;

function run(argv: string[], cwd: string): void {
  const done = spawnSync(process.execPath, [cli, ...argv], { cwd, encoding: 'utf8' });
  // import exits 1 when some upstream entries fail our rules; they are left out, the rest imported.
  if (done.status !== 0 && done.status !== 1) throw new Error(`mcp-registry ${argv.join(' ')} failed (${done.status}): ${done.stderr}`);
}

describe.skipIf(!hasChromium)('search on the real registry, in Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'site-live-'));
    const root = join(work, 'registry');
    mkdirSync(join(root, 'servers'), { recursive: true });
    writeFileSync(join(root, 'registry.config.yaml'), 'name: Official registry mirror (2025-10-10)\nbaseUrl: http://127.0.0.1:4321\n');
    run(['import', data], root);
    run(['build'], root);
    serve = spawn(process.execPath, [cli, 'serve', join(root, 'dist'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    baseUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const m = /at (http:\/\/\S+)/.exec(out);
        if (m) resolve((m[1] as string).replace(/\/$/, ''));
      });
      serve?.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const firstResults = async (query: string, n = 1) => {
    const page = await browser!.newPage({ viewport: { width: 1366, height: 900 } });
    try {
      await page.goto(`${baseUrl}/`);
      await page.locator('#q').pressSequentially(query, { delay: 20 });
      // Every keystroke's search runs as it is typed; the last one's results are those shown.
      await page.waitForFunction(
        (q) =>
          new URLSearchParams(location.search).get('q') === q &&
          document.querySelector('#results li') !== null &&
          !(document.querySelector('#search-status')?.textContent ?? '').startsWith('Loading'),
        query,
      );
      return await page.evaluate(
        (count) =>
          Array.from(document.querySelectorAll('#results li'))
            .slice(0, count)
            .map((li) => li.querySelector('.name')?.textContent ?? li.querySelector('a.title')?.textContent ?? ''),
        n,
      );
    } finally {
      await page.close();
    }
  };

  it.each([
    ['github', 'io.github.github/github-mcp-server'],
    ['io.github.github', 'io.github.github/github-mcp-server'],
    ['file system', 'io.github.bytedance/mcp-server-filesystem'],
    ['filesystem', 'io.github.bytedance/mcp-server-filesystem'],
    ['postgres', 'ai.waystation/postgres'],
    ['brave', 'io.github.brave/brave-search-mcp-server'],
  ])(
    'typing %s shows %s first',
    async (query, expected) => {
      expect((await firstResults(query))[0]).toBe(expected);
    },
    60_000,
  );

  it.each([
    ['desktop', { width: 1366, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const)(
    'has no serious or critical axe-core violation on the home page with results and a server page (%s)',
    async (_name, viewport) => {
      // axe-core needs a page of a context it can open more pages in.
      const context = await browser!.newContext({ viewport });
      const page = await context.newPage();
      try {
        await page.goto(`${baseUrl}/`);
        await page.locator('#q').pressSequentially('github', { delay: 20 });
        await page.locator('#results li').first().waitFor();
        const pages = [['home with results', page.url()] as const];
        const href = await page.locator('#results li a.title').first().getAttribute('href');
        for (const [kind, url] of [...pages, ['server', `${baseUrl}${href}`] as const]) {
          if (kind !== 'home with results') await page.goto(url);
          const found = await new AxeBuilder({ page }).analyze();
          const bad = found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length}`);
          expect(bad, `${kind} ${viewport.width}`).toEqual([]);
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${kind} ${viewport.width}`).toBeLessThanOrEqual(viewport.width);
        }
      } finally {
        await context.close();
      }
    },
    120_000,
  );
});
