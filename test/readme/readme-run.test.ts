/**
 * `mcp-registry readme` against real HTTP servers on 127.0.0.1 standing in for npm, PyPI and the
 * GitHub API: it records the first README each server's sources give (the package's, else the
 * repository's), keeps an unchanged one as it was, warns for a server with none, and the site
 * build renders what was recorded, sanitised, without fetching anything.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { readReadmes } from '../../scripts/readme/read-readmes.ts';
import { capReadme, parseReadmeFile, readmePath, serialiseReadmeFile } from '../../scripts/readme/readme-file.ts';
import { emitSite } from '../../scripts/site/emit-site.ts';

const requests: string[] = [];
let base = '';
const server = createServer((req, res) => {
  const url = req.url ?? '';
  requests.push(url);
  const send = (status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  if (url === '/npm/@acme%2Fweather')
    return send(
      200,
      JSON.stringify({ name: '@acme/weather', readme: '# Weather\n\nForecasts. <script>alert(1)</script>\n\n[docs](https://example.com/docs)' }),
    );
  if (url === '/npm/bare') return send(200, JSON.stringify({ name: 'bare', readme: 'ERROR: No README data found!' }));
  if (url === '/pypi/pypi/rst-tool/2.0.0/json')
    return send(200, JSON.stringify({ info: { description: 'Title\n=====', description_content_type: 'text/x-rst' } }));
  if (url === '/github/repos/acme/rst-tool/readme') {
    expect(req.headers.accept).toBe('application/vnd.github.raw+json');
    return send(200, '## From the repository\n\nUse it.', 'text/plain');
  }
  send(404, '{}');
});

let root = '';
const run = async (...args: string[]) => {
  let out = '';
  const code = await main(['readme', '--endpoint', `npm=${base}/npm`, '--endpoint', `pypi=${base}/pypi`, '--endpoint', `github=${base}/github`, ...args], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
    cwd: root,
    env: {},
  });
  return { code, out };
};

const entry = (name: string, version: string, extra: Record<string, unknown>) =>
  JSON.stringify({
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name,
    description: `${name} for tests`,
    version,
    ...extra,
  });

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  root = await mkdtemp(join(tmpdir(), 'readme-run-'));
  const put = async (name: string, version: string, extra: Record<string, unknown>) => {
    await mkdir(join(root, 'servers', name), { recursive: true });
    await writeFile(join(root, 'servers', name, `${version}.json`), entry(name, version, extra));
  };
  await put('io.github.acme/weather', '1.0.0', {
    packages: [{ registryType: 'npm', identifier: '@acme/weather', version: '1.0.0', transport: { type: 'stdio' } }],
  });
  await put('io.github.acme/weather', '1.1.0', {
    packages: [{ registryType: 'npm', identifier: '@acme/weather', version: '1.1.0', transport: { type: 'stdio' } }],
  });
  await put('io.github.acme/rst-tool', '2.0.0', {
    repository: { url: 'https://github.com/acme/rst-tool', source: 'github' },
    packages: [{ registryType: 'pypi', identifier: 'rst-tool', version: '2.0.0', transport: { type: 'stdio' } }],
  });
  await put('io.github.acme/bare', '0.1.0', { packages: [{ registryType: 'npm', identifier: 'bare', version: '0.1.0', transport: { type: 'stdio' } }] });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('mcp-registry readme', () => {
  it("records the package's README, else the repository's, and warns for a server with none", async () => {
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toContain('READMEs: 2 written, 0 unchanged, 1 not found');
    expect(out).toContain('readme/not-found');
    const weather = parseReadmeFile(await readFile(join(root, readmePath('io.github.acme/weather')), 'utf8'), readmePath('io.github.acme/weather')).value;
    expect(weather).toMatchObject({ version: '1.1.0', from: 'npm', source: 'https://www.npmjs.com/package/@acme/weather' });
    expect(weather?.text).toContain('# Weather');
    // reStructuredText on PyPI is not Markdown: the repository's README is taken instead.
    const rst = parseReadmeFile(await readFile(join(root, readmePath('io.github.acme/rst-tool')), 'utf8'), readmePath('io.github.acme/rst-tool')).value;
    expect(rst).toMatchObject({ from: 'github', source: 'https://github.com/acme/rst-tool' });
    expect(rst?.text).toContain('From the repository');
  });

  it('asks nothing for a README fetched for the same version within --max-age, and keeps an unchanged one as it was', async () => {
    const before = await readFile(join(root, readmePath('io.github.acme/weather')), 'utf8');
    requests.length = 0;
    const fresh = await run('io.github.acme/weather');
    expect(fresh.out).toContain('0 written, 1 unchanged');
    expect(requests).toEqual([]);
    const again = await run('--max-age', '0', 'io.github.acme/weather');
    expect(again.out).toContain('0 written, 1 unchanged');
    expect(requests).toEqual(['/npm/@acme%2Fweather']);
    expect(await readFile(join(root, readmePath('io.github.acme/weather')), 'utf8')).toBe(before);
  });

  it('leaves a file that is not its own out of the build, with a warning', async () => {
    await mkdir(join(root, 'registry/readmes/io.github.other'), { recursive: true });
    const other = JSON.parse(await readFile(join(root, readmePath('io.github.acme/weather')), 'utf8')) as Record<string, unknown>;
    await writeFile(join(root, 'registry/readmes/io.github.other/x.json'), JSON.stringify(other));
    const state = await readReadmes(root);
    expect([...state.readmes.keys()].sort()).toEqual(['io.github.acme/rst-tool', 'io.github.acme/weather']);
    expect(state.reports.map((r) => [r.path, r.diagnostics[0]?.code])).toEqual([['registry/readmes/io.github.other/x.json', 'readme/state-invalid']]);
    await rm(join(root, 'registry/readmes/io.github.other'), { recursive: true });
  });

  it('cuts a README over the cap at a line end, and the file says so', () => {
    const long = `${'line of text\n'.repeat(100)}`;
    const capped = capReadme(long, 200);
    expect(capped.truncated).toBe(true);
    expect(capped.text.endsWith('text')).toBe(true);
    expect(capped.text.length).toBeLessThanOrEqual(200);
    const file = serialiseReadmeFile({
      schemaVersion: 1,
      name: 'io.github.a/b',
      version: '1.0.0',
      from: 'npm',
      source: 'https://www.npmjs.com/package/b',
      fetchedAt: '2025-10-10T00:00:00Z',
      format: 'markdown',
      text: capped.text,
      truncated: true,
    });
    expect(parseReadmeFile(file, readmePath('io.github.a/b')).value?.truncated).toBe(true);
  });

  it('renders the recorded README on the server page, sanitised, from the state alone', async () => {
    const { readmes } = await readReadmes(root);
    const response = (name: string, version: string, readme: string): ServerResponse =>
      ({
        server: JSON.parse(entry(name, version, { packages: [{ registryType: 'npm', identifier: readme, version, transport: { type: 'stdio' } }] })),
        _meta: {
          'io.modelcontextprotocol.registry/official': {
            status: 'active',
            publishedAt: '2025-10-01T00:00:00Z',
            updatedAt: '2025-10-01T00:00:00Z',
            isLatest: true,
          },
        },
      }) as unknown as ServerResponse;
    const out = await mkdtemp(join(tmpdir(), 'readme-site-'));
    try {
      requests.length = 0;
      await emitSite({
        servers: serverViewsFromResponses([response('io.github.acme/weather', '1.2.0', '@acme/weather')]),
        config: DEFAULT_CONFIG,
        outDir: out,
        readmes,
      });
      expect(requests).toEqual([]);
      const html = await readFile(join(out, 'servers/io.github.acme/weather/index.html'), 'utf8');
      expect(html).toContain('<h2 id="readme-heading">README</h2>');
      expect(html).toMatch(/<h3[^>]*>Weather<\/h3>/);
      expect(html).toContain('href="https://example.com/docs"');
      expect(html).not.toContain('<script>alert(1)');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      // Recorded for 1.1.0, shown on the page of 1.2.0: it says which version it is from.
      expect(html).toContain('(version 1.1.0)');
      expect(html).toContain('https://www.npmjs.com/package/@acme/weather');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
