/**
 * The site in a real browser: Debian's chromium driven by playwright-core against `serve` over a
 * registry built by `mcp-registry build` (the commands `npm run build` / `npm run serve` run) from
 * a temp copy of test/fixtures/site/registry. README screenshots come from scripts/site/screenshots.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM as CHROMIUM_SERVER, hasSystemServer } from '../helpers/system-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = hasSystemServer(CHROMIUM_SERVER, 'the site in a real browser');

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'scripts/cli/main.ts');
const fixture = join(repo, 'test/fixtures/site/registry');

let work = '';
let serve: ChildProcess | undefined;
let baseUrl = '';
let context: BrowserContext | undefined;
let contextNoJs: BrowserContext | undefined;

function startServe(dist: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'serve', dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /at (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!.replace(/\/$/, '') });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function open(path: string, ctx = context): Promise<Page> {
  const page = await ctx!.newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

describe.skipIf(!hasChromium)('the site in Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'site-browser-'));
    const root = join(work, 'registry');
    cpSync(fixture, root, { recursive: true });
    const built = spawnSync(process.execPath, [cli, 'build'], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`build failed (${built.status}): ${built.stdout}${built.stderr}`);
    const served = await startServe(join(root, 'dist'));
    serve = served.child;
    baseUrl = served.url;
    const options = { executablePath: CHROMIUM, headless: true, args: launchArgs };
    context = await chromium.launchPersistentContext(join(work, 'profile'), { ...options, viewport: { width: 1100, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    contextNoJs = await chromium.launchPersistentContext(join(work, 'profile-nojs'), { ...options, javaScriptEnabled: false });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await contextNoJs?.close();
    serve?.kill('SIGTERM');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows the exactly named server first as the user types, and keeps the query in the URL', async () => {
    const page = await open('/');
    await page.locator('#q').pressSequentially('weather', { delay: 20 });
    const first = page.locator('#results li').first();
    await expect.poll(() => first.locator('.name').textContent()).toBe('io.github.acme/weather');
    // Written once typing pauses, not on every keystroke.
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('weather');
    await page.close();
  });

  it('runs the query kept in the URL when the page opens', async () => {
    const page = await open('/?q=alerts');
    await expect.poll(() => page.locator('#results li .name').first().textContent()).toBe('io.github.acme/weather-alerts');
    await page.close();
  });

  it('moves through the results with the arrow keys and opens one with Enter', async () => {
    const page = await open('/');
    await page.locator('#q').fill('weather');
    await expect.poll(() => page.locator('#results li').count()).toBeGreaterThan(1);
    await page.locator('#q').press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = await page.locator('#results li .name').nth(1).textContent();
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.id)).toBe('result-1');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/servers/${second}/`);
    await page.close();
  });

  it('narrows results with a filter', async () => {
    const page = await open('/');
    await page.locator('a[data-facet="registry"][data-value="pypi"]').click();
    await expect
      .poll(async () => (await page.locator('#results li .name').allTextContents()).sort())
      .toEqual(['io.github.acme/weather-alerts', 'io.github.rtl/arabic-notes']);
    await expect.poll(() => new URL(page.url()).searchParams.get('registry')).toBe('pypi');
    await page.close();
  });

  it('updates the filter counts to the matches as the user types, and restores them when the box is cleared', async () => {
    const page = await open('/');
    const pypi = page.locator('a[data-facet="registry"][data-value="pypi"] .count');
    const oci = page.locator('a[data-facet="registry"][data-value="oci"] .count');
    expect(await pypi.textContent()).toBe('(2)');
    await page.locator('#q').pressSequentially('weather', { delay: 20 });
    await expect.poll(() => pypi.textContent()).toBe('(1)');
    expect(await oci.textContent()).toBe('(0)');
    await page.locator('#q').fill('');
    await expect.poll(() => pypi.textContent()).toBe('(2)');
    await page.close();
  });

  it('opens a server page with its title, links, versions and install snippets', async () => {
    const page = await open('/servers/io.github.acme/weather/');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Weather');
    expect(await page.locator('dl.links a[href="https://github.com/acme/weather"]').count()).toBe(1);
    expect(await page.locator('table tbody tr th').allTextContents()).toEqual(['1.2.0latest', '1.1.0']);
    expect(await page.locator('details.snippet summary').allTextContents()).toEqual([
      'Claude Desktop (claude_desktop_config.json)',
      'VS Code (.vscode/mcp.json)',
      'Cursor (.cursor/mcp.json)',
      'Claude Code',
      'Command line',
    ]);
    await page.close();
  });

  it('copies a snippet to the clipboard', async () => {
    const page = await open('/servers/io.github.acme/weather/');
    await page.locator('details.snippet summary', { hasText: 'Claude Code' }).click();
    await page.locator('button[data-target="claude-code"]').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await page.locator('#snippet-0-3').textContent());
    expect(copied).toContain('claude mcp add');
    await page.close();
  });

  it('warns on a deprecated server with its status message', async () => {
    const page = await open('/servers/io.github.old/legacy-search/');
    expect(await page.locator('.warning').textContent()).toContain('Use io.github.acme/weather instead');
    await page.close();
  });

  it('leaves a deleted server out of search, and its page says when and why it was removed', async () => {
    const page = await open('/');
    await page.locator('#q').fill('vanished');
    await expect.poll(() => page.locator('#search-status').textContent()).toBe('No servers match.');
    const response = await page.goto(`${baseUrl}/servers/io.github.gone/vanished/`);
    expect(response?.status()).toBe(200);
    const note = await page.locator('.warning').textContent();
    expect(note).toContain('removed from the registry on 2025-10-08');
    expect(note).toContain('Malware');
    expect(await page.locator('#install-heading').count()).toBe(0);
    await page.goto(`${baseUrl}/changes/`);
    expect(await page.locator('main').textContent()).toContain('Removed');
    await page.close();
  });

  it('shows the README (sanitised), the tools, package links and trust signals, with working install links', async () => {
    const page = await open('/servers/io.github.acme/weather/');
    expect(await page.locator('.readme h3').first().textContent()).toBe('Weather MCP');
    expect(await page.locator('.readme script').count()).toBe(0);
    expect(await page.locator('.readme [onerror]').count()).toBe(0);
    expect(await page.locator('.capabilities dt').allTextContents()).toEqual(['forecast', 'alerts', 'uv_index']);
    expect(await page.getByRole('list', { name: 'Parameters of forecast' }).textContent()).toContain('city string');
    const changed = page.getByRole('note', { name: 'Tools changed' });
    expect(await changed.textContent()).toContain('changed: forecast');
    await changed.locator('summary').click();
    expect(await changed.locator('pre.diff').textContent()).toContain('+ "The forecast for a city. <script>window.__pwned=14</script>"');
    expect(await page.locator('.inspection script').count()).toBe(0);
    expect(await page.locator('a[href="https://www.npmjs.com/package/@acme/weather-mcp/v/1.2.0"]').count()).toBe(1);
    expect(await page.locator('dl.trust dt').first().textContent()).toBe('GitHub account');
    const links = await page.locator('a.install-link').evaluateAll((all) => all.map((a) => (a as HTMLAnchorElement).href));
    expect(links.some((l) => l.startsWith('https://insiders.vscode.dev/redirect/mcp/install?'))).toBe(true);
    expect(links.some((l) => l.startsWith('cursor://anysphere.cursor-deeplink/mcp/install?'))).toBe(true);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.locator('table.versions a', { hasText: '1.1.0' }).click();
    await page.waitForURL('**/servers/io.github.acme/weather/versions/1.1.0/');
    expect(await page.locator('h1').textContent()).toContain('1.1.0');
    await page.close();
  });

  it('finds a server by the name of a tool its inspection recorded', async () => {
    const page = await open('/?q=uv_index');
    await expect.poll(() => page.locator('#results li .name').allTextContents()).toEqual(['io.github.acme/weather']);
    await page.close();
  });

  it('shows what inspection recorded on the version page, and flags a server that stopped answering', async () => {
    const version = await open('/servers/io.github.acme/weather/versions/1.2.0/');
    expect(await version.locator('.capabilities dt').allTextContents()).toEqual(['forecast', 'alerts', 'uv_index']);
    await version.close();
    const older = await open('/servers/io.github.acme/weather/versions/1.1.0/');
    expect(await older.locator('.inspection').count()).toBe(0);
    await older.close();
    const page = await open(`/servers/io.github.longname/${'x'.repeat(81)}/`);
    expect(await page.locator('.inspection .badge').textContent()).toBe('not answering');
    expect(await page.getByRole('note', { name: 'Not answering' }).textContent()).toContain('last answered on 2025-09-01');
    expect(await page.locator('ul.endpoints').textContent()).toContain('https://long.example/sse: unreachable (not answering)');
    await page.close();
  });

  it('leaves no empty box where an icon fails to load', async () => {
    const page = await open('/servers/io.github.evil/xss/');
    await expect.poll(() => page.locator('img[data-icon]').count()).toBe(0);
    await page.close();
  });

  it('shows the first result above the fold on a 390×844 phone', async () => {
    const page = await context!.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/?q=weather`);
    const first = page.locator('#results li').first();
    await first.waitFor();
    const box = await first.boundingBox();
    expect(box!.y + 60).toBeLessThan(844);
    await page.close();
  });

  const PAGE_KINDS: [string, string][] = [
    ['home', '/'],
    ['search results', '/?q=weather'],
    ['server with packages', '/servers/io.github.acme/weather/'],
    ['server with remotes', '/servers/com.example/remote-db/'],
    ['version', '/servers/io.github.acme/weather/versions/1.1.0/'],
    ['deprecated server', '/servers/io.github.old/legacy-search/'],
    ['namespace', '/namespaces/io.github.acme/'],
    ['listing', '/browse/'],
    ['changes', '/changes/'],
    ['API', '/api/'],
    ['publish', '/publish/'],
    ['404', '/no/such/page/'],
    ['removed', '/servers/io.github.gone/vanished/'],
  ];
  for (const [viewport, size] of [
    ['desktop', { width: 1366, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`has no serious or critical axe-core violation on any page kind (${viewport}, ${scheme})`, async () => {
        const page = await context!.newPage();
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme: scheme });
        const found: string[] = [];
        for (const [kind, path] of PAGE_KINDS) {
          await page.goto(`${baseUrl}${path}`);
          if (path.includes('?q=')) await page.locator('#results li').first().waitFor();
          const result = await new AxeBuilder({ page }).analyze();
          for (const v of result.violations) {
            if (v.impact === 'serious' || v.impact === 'critical')
              found.push(
                `${kind}: ${v.id} (${v.impact}) ${v.nodes
                  .map((n) => n.target.join(' '))
                  .slice(0, 3)
                  .join(', ')}`,
              );
          }
          // No word broken mid-word: nothing wider than the screen.
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${kind} ${viewport}`).toBeLessThanOrEqual(size.width);
        }
        expect(found, found.join('\n')).toEqual([]);
        await page.close();
      }, 120_000);
    }
  }

  it('runs nothing from server.json: markup in titles and descriptions stays text', async () => {
    const page = await open('/servers/io.github.evil/xss/');
    expect(await page.locator('h1').textContent()).toBe('<img src=x onerror=window.__pwned=5>');
    await page.goto(`${baseUrl}/?q=bold`);
    await expect.poll(() => page.locator('#results li p').first().textContent()).toBe('<script>window.__pwned=1</script><b>bold</b>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('keeps a 100-character name and right-to-left text inside a phone-sized screen', async () => {
    const page = await open('/browse/');
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.goto(`${baseUrl}/servers/io.github.rtl/arabic-notes/`);
    expect(await page.locator('h1').evaluate((h) => getComputedStyle(h).direction)).toBe('rtl');
    await page.close();
  });

  it('shows the versions table of a deprecated server without sideways scrolling on a phone', async () => {
    const page = await open('/servers/io.github.old/legacy-search/');
    await page.setViewportSize({ width: 360, height: 740 });
    const table = page.locator('.table-wrap');
    expect(await table.evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const published = page.locator('table.versions td[data-label="Published"] time').first();
    // One line: a date never breaks mid-word.
    expect(await published.evaluate((t) => t.getClientRects().length)).toBe(1);
    await page.close();
  });

  it('works without JavaScript: filters, listings and snippets are plain pages', async () => {
    const page = await open('/', contextNoJs);
    await page.locator('a[data-facet="status"][data-value="deprecated"]').click();
    await page.waitForURL('**/browse/status/deprecated/');
    expect(await page.locator('main ul.servers .name').allTextContents()).toEqual(['io.github.old/legacy-search']);
    await page.goto(`${baseUrl}/servers/io.github.dotnet/files/`);
    expect(await page.locator('#snippet-0-4').textContent()).toBe('dnx Dotnet.Files.Mcp@1.0.0 --yes');
    await page.close();
  });

  it('publishes the Atom feed and the search index beside the API', async () => {
    const feed = await fetch(`${baseUrl}/feed.xml`);
    expect(await feed.text()).toContain('<title>Deprecated: Legacy search 1.0.0</title>');
    const manifest = (await (await fetch(`${baseUrl}/search/manifest.json`)).json()) as { documents: number };
    expect(manifest.documents).toBe(9);
    const api = (await (await fetch(`${baseUrl}/v0.1/servers?limit=100`)).json()) as { servers: unknown[] };
    expect(api.servers.length).toBeGreaterThan(0);
  });

  it('lists changes with words apart: kind, title and version', async () => {
    const page = await open('/changes/');
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text the test means
    const first = await page.locator('main ol li').first().innerText();
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2} · (New (server|version)|Tools changed) \S.* \d+\.\d+\.\d+\n/);
    await page.close();
  });

  it('lists a tool change of a published version on the changes page and in the feed, naming the tools', async () => {
    const page = await open('/changes/');
    const entry = page.locator('main ol li', { hasText: 'Tools changed' });
    expect(await entry.count()).toBe(1);
    expect(await entry.locator('.name').textContent()).toBe('io.github.acme/weather');
    expect(await entry.locator('p.tools-changed').textContent()).toBe('Tools changed: forecast.');
    await page.close();
    const feed = await (await fetch(`${baseUrl}/feed.xml`)).text();
    expect(feed).toContain('<title>Tools changed: Weather 1.2.0</title>');
    expect(feed).toContain('found different tools. Tools changed: forecast.</summary>');
  });

  it('filters by "has tools" on the home page, and lists them on a plain page without JavaScript', async () => {
    const page = await open('/');
    const hasTools = page.locator('a[data-facet="tools"][data-value="has-tools"]');
    expect(await hasTools.textContent()).toBe('has tools (1)');
    await hasTools.click();
    await expect.poll(() => page.locator('#results li .name').allTextContents()).toEqual(['io.github.acme/weather']);
    expect(new URL(page.url()).searchParams.get('tools')).toBe('has-tools');
    await page.close();
    const plain = await open('/', contextNoJs);
    await plain.locator('a[data-facet="health"][data-value="not-answering"]').click();
    await plain.waitForURL('**/browse/health/not-answering/');
    expect(await plain.locator('h1').textContent()).toBe('Remote health: not answering');
    expect(await plain.locator('main ul.servers .title').allTextContents()).toEqual([`io.github.longname/${'x'.repeat(81)}`]);
    await plain.close();
  });

  it('renders the API docs page from openapi.yaml', async () => {
    const page = await open('/api/');
    expect(await page.locator('main h2 code').allTextContents()).toContain('/v0.1/servers');
    await page.close();
  });

  it('shows the API docs on a phone without sideways scrolling, with `code` spans as code', async () => {
    const page = await open('/api/');
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.locator('.table-wrap').evaluateAll((all) => all.map((e) => e.scrollWidth - e.clientWidth));
    expect(overflow.length).toBeGreaterThan(0);
    expect(Math.max(...overflow)).toBe(0);
    expect(await page.locator('main td[data-label="Description"] code').allTextContents()).toContain('io.github.user%2Fweather');
    expect(await page.locator('main').textContent()).not.toContain('`');
    await page.close();
  });
});

describe.skipIf(!hasChromium)('the site of an empty registry', () => {
  it('builds and says there are no servers yet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'site-empty-'));
    try {
      const root = join(dir, 'registry');
      mkdirSync(join(root, 'servers'), { recursive: true });
      const built = spawnSync(process.execPath, [cli, 'build'], { cwd: root, encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      const html = readFileSync(join(root, 'dist/index.html'), 'utf8');
      expect(html).toContain('0 servers in 0 namespaces.');
      expect(html).toContain('No servers yet.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
