/**
 * Search on the real registry in a real browser: the official registry's 2025-10-10 data
 * (../shared/data when present, else the trimmed copy test/fixtures/site/live-search-2025-10-10.json)
 * imported with `mcp-registry import`, built with `mcp-registry build`, served with `serve` and
 * typed into the home page's box in Debian's chromium, keystroke by keystroke, as a person would.
 * The servers people obviously mean come first; every page kind the build has passes axe-core at
 * both widths; a server page shows its package links, one-click install links and the README that
 * `mcp-registry readme` recorded (fetched from a 127.0.0.1 server standing in for npm), sanitised.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

interface Entry {
  server: { name: string; version: string; packages?: { registryType?: string; identifier?: string }[]; remotes?: unknown[] };
}
const entries = (JSON.parse(readFileSync(data, 'utf8').replace(/^\uFEFF/, '')) as Entry[]).map((e) => e.server);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
/** The first server (by name) with an npm package, and the first with only remotes. */
const withNpm = entries.filter((s) => s.packages?.some((p) => p.registryType === 'npm' && p.identifier)).sort(byName)[0]!;
const npmId = withNpm.packages!.find((p) => p.registryType === 'npm')!.identifier!;
const withRemotes = entries.filter((s) => (s.remotes?.length ?? 0) > 0 && (s.packages?.length ?? 0) === 0).sort(byName)[0]!;
const README = [
  '# Fetch it all',
  '',
  'Reads *any* page.',
  '',
  '<script>window.__pwned = 15</script>',
  '<img src="x" onerror="window.__pwned = 16">',
  '',
  '[a link](javascript:alert(1))',
].join('\n');

/** `mcp-registry readme` run to completion without blocking this process (its stand-in npm answers here). */
function runAsync(argv: string[], cwd: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('exit', (status) => resolve({ status, out }));
  });
}

let work = '';
const npmAsked: string[] = [];
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
    // A stand-in for registry.npmjs.org: the packument of the chosen server's package, with a README.
    const npm = createServer((req, res) => {
      npmAsked.push(req.url ?? '');
      if (decodeURIComponent(req.url ?? '') === `/npm/${npmId}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ name: npmId, readme: README }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => npm.listen(0, '127.0.0.1', resolve));
    const npmBase = `http://127.0.0.1:${(npm.address() as AddressInfo).port}`;
    try {
      const fetched = await runAsync(
        ['readme', withNpm.name, '--endpoint', `npm=${npmBase}/npm`, '--endpoint', `github=${npmBase}/github`, '--max-age', '0'],
        root,
      );
      if (fetched.status !== 0) throw new Error(`mcp-registry readme failed (${fetched.status}): ${fetched.out}`);
    } finally {
      npm.close();
    }
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

  const PAGE_KINDS: [string, string][] = [
    ['home', '/'],
    ['search results', '/?q=github'],
    ['server with packages', `/servers/${withNpm.name}/`],
    ['server with remotes', `/servers/${withRemotes.name}/`],
    ['version', `/servers/${withNpm.name}/versions/${withNpm.version}/`],
    ['namespace', `/namespaces/${withNpm.name.split('/')[0]}/`],
    ['listing', '/browse/'],
    ['changes', '/changes/'],
    ['API', '/api/'],
    ['publish', '/publish/'],
    ['404', '/no/such/page/'],
  ];
  // The 2025-10-10 data has no deleted server, so there is no removed page to check here
  // (test/site/browser.test.ts checks the fixture's).
  it.each([
    ['desktop', { width: 1366, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const)(
    'has no serious or critical axe-core violation on any page kind of the live build (%s)',
    async (name, viewport) => {
      const context = await browser!.newContext({ viewport });
      const page = await context.newPage();
      const found: string[] = [];
      try {
        for (const [kind, path] of PAGE_KINDS) {
          const response = await page.goto(`${baseUrl}${path}`);
          expect(response?.status(), kind).toBe(kind === '404' ? 404 : 200);
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
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${kind} ${name}`).toBeLessThanOrEqual(viewport.width);
        }
        expect(found, found.join('\n')).toEqual([]);
      } finally {
        await context.close();
      }
    },
    300_000,
  );

  it('shows a live server with its README (sanitised), package link and working install links', async () => {
    expect(npmAsked.map(decodeURIComponent)).toContain(`/npm/${npmId}`);
    const page = await browser!.newPage({ viewport: { width: 1366, height: 900 } });
    try {
      await page.goto(`${baseUrl}/servers/${withNpm.name}/`);
      const readme = page.locator('section.readme');
      expect(await readme.locator('h1, h2, h3').allTextContents()).toContain('Fetch it all');
      expect(await readme.locator('em').first().textContent()).toBe('any');
      expect(await readme.locator('script').count()).toBe(0);
      expect(await readme.locator('[onerror]').count()).toBe(0);
      expect(await readme.locator('a[href^="javascript:"]').count()).toBe(0);
      expect(await readme.locator(`a[href="https://www.npmjs.com/package/${npmId}"]`).count()).toBe(1);
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      // The package's own page, for the version this server names.
      expect(await page.locator(`a[href^="https://www.npmjs.com/package/${npmId}"]`).count()).toBeGreaterThan(1);
      const links = await page
        .locator('a.install-link')
        .evaluateAll((all) => all.map((a) => ({ client: a.getAttribute('data-client'), href: (a as HTMLAnchorElement).href })));
      // Who may publish under the namespace: a GitHub account or a domain, as the name says.
      const trust = await page.locator('dl.trust dt').allTextContents();
      expect(trust).toContain(withNpm.name.startsWith('io.github.') ? 'GitHub account' : 'Domain');
      // The link that runs the npm package (a server may also offer remotes, each with its own link).
      const configOf = (href: string) => {
        const url = new URL(href);
        return {
          at: `${url.origin}${url.pathname}`,
          name: url.searchParams.get('name'),
          ...(JSON.parse(url.searchParams.get('config') ?? '{}') as { type?: string; command?: string; args?: string[] }),
        };
      };
      const vscode = links.find((l) => l.client === 'vscode' && configOf(l.href).type === 'stdio');
      expect(vscode, JSON.stringify(links)).toBeDefined();
      const config = configOf(vscode!.href);
      expect(config.at).toBe('https://insiders.vscode.dev/redirect/mcp/install');
      expect(config.name).toBeTruthy();
      expect(config.command).toBe('npx');
      expect(config.args?.join(' ')).toContain(npmId);
      // No secret a user must supply travels in the URL: each is one of VS Code's own prompts.
      expect(vscode!.href).not.toMatch(/<[A-Z_]+>/);
      expect(links.some((l) => l.href.startsWith('cursor://anysphere.cursor-deeplink/mcp/install?'))).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('shows a live remote-only server with install links for its URL', async () => {
    const page = await browser!.newPage({ viewport: { width: 1366, height: 900 } });
    try {
      await page.goto(`${baseUrl}/servers/${withRemotes.name}/`);
      const links = await page.locator('a.install-link[data-client="vscode"]').evaluateAll((all) => all.map((a) => (a as HTMLAnchorElement).href));
      expect(links.length).toBeGreaterThan(0);
      const config = JSON.parse(new URL(links[0]!).searchParams.get('config') ?? '{}') as { type?: string; url?: string };
      expect(['http', 'sse']).toContain(config.type);
      expect(config.url).toMatch(/^https:\/\//);
    } finally {
      await page.close();
    }
  }, 60_000);
});
