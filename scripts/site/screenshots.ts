/**
 * README screenshots from a realistic registry: imports the official registry's 2025-10-10 data
 * (../shared/data when present, else the trimmed copy in test/fixtures/official) into a temporary
 * registry, builds it with `mcp-registry build`, serves it with `mcp-registry serve` and takes
 * desktop (1366×900) and phone (390×844) screenshots of the home page with a search, a server page
 * and the API page with Debian's chromium (playwright-core).
 *
 *   node scripts/site/screenshots.ts [--out DIR] [--keep]     # DIR: docs/screenshots
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'scripts/cli/main.ts');
const args = process.argv.slice(2);
const out = args.includes('--out') ? (args[args.indexOf('--out') + 1] as string) : join(repo, 'docs/screenshots');
const CHROMIUM = '/usr/bin/chromium';
const sources = [join(repo, '../shared/data/official-live-2025-10-10.json'), join(repo, 'test/fixtures/official/live-2025-10-10.sample.json')];
const data = sources.find((p) => existsSync(p)) as string;
const SERVER = 'io.github.github/github-mcp-server';

function run(argv: string[], cwd: string): void {
  const done = spawnSync(process.execPath, [cli, ...argv], { cwd, encoding: 'utf8' });
  if (done.status !== 0 && done.status !== 1) throw new Error(`mcp-registry ${argv.join(' ')} failed (${done.status}): ${done.stderr}`);
}

const work = mkdtempSync(join(tmpdir(), 'site-screenshots-'));
const root = join(work, 'registry');
mkdirSync(join(root, 'servers'), { recursive: true });
writeFileSync(join(root, 'registry.config.yaml'), 'name: Official registry mirror (2025-10-10)\nbaseUrl: http://127.0.0.1:4321\n');
process.stdout.write(`importing ${data}\n`);
run(['import', data], root);
run(['build'], root);

const serve = spawn(process.execPath, [cli, 'serve', join(root, 'dist'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const base = await new Promise<string>((resolve, reject) => {
    let text = '';
    serve.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const m = /at (http:\/\/\S+)/.exec(text);
      if (m) resolve((m[1] as string).replace(/\/$/, ''));
    });
    serve.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  mkdirSync(out, { recursive: true });
  const server = existsSync(join(root, 'dist/servers', SERVER)) ? SERVER : undefined;
  for (const [suffix, viewport] of [
    ['', { width: 1366, height: 900 }],
    ['-phone', { width: 390, height: 844 }],
  ] as const) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.locator('#q').pressSequentially('github', { delay: 30 });
    await page.locator('#results li').first().waitFor();
    await page.screenshot({ path: join(out, `home${suffix}.png`) });
    const path = server ?? (await page.locator('#results li a.title').first().getAttribute('href'))?.replace(/^\/servers\//, '').replace(/\/$/, '');
    await page.goto(`${base}/servers/${path}/`);
    await page.screenshot({ path: join(out, `server${suffix}.png`), fullPage: suffix === '' });
    await page.goto(`${base}/api/`);
    await page.screenshot({ path: join(out, `api${suffix}.png`) });
    await context.close();
  }
  await browser.close();
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  serve.kill('SIGTERM');
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`registry kept in ${root}\n`);
}
