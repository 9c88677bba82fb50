import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInit } from '../../scripts/cli/commands/init.ts';
import { normalizeRepositoryUrl, readCsproj, readPyproject, readmeServerName } from '../../scripts/author/project-manifest.ts';
import { main } from '../../scripts/cli/main.ts';

let dir: string;
let out: string[];
let err: string[];
const io = () => ({ stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: dir, env: {} });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-registry-init-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const written = () => JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8'));

describe('manifest readers', () => {
  it.each([
    ['git+https://github.com/alice/weather.git', 'https://github.com/alice/weather'],
    ['github:alice/weather', 'https://github.com/alice/weather'],
    ['git@github.com:alice/weather.git', 'https://github.com/alice/weather'],
    ['alice/weather', 'https://github.com/alice/weather'],
  ])('normalizes repository %s', (raw, url) => {
    expect(normalizeRepositoryUrl(raw)).toBe(url);
  });

  it('reads [project] and [project.urls] from pyproject.toml', () => {
    const facts = readPyproject(
      '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "weather-mcp"\nversion = "0.4.1"  # bumped\ndescription = \'Weather for agents\'\n\n[project.urls]\nRepository = "https://github.com/alice/weather-mcp"\n',
    );
    expect(facts).toEqual({
      ecosystem: 'pypi',
      identifier: 'weather-mcp',
      version: '0.4.1',
      description: 'Weather for agents',
      repositoryUrl: 'https://github.com/alice/weather-mcp',
    });
  });

  it('reads PackageId, Version and RepositoryUrl from a .csproj', () => {
    const facts = readCsproj(
      '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><PackageId>Alice.Weather</PackageId><Version>2.0.0</Version><Description>Weather &amp; more</Description><RepositoryUrl>https://github.com/alice/weather.git</RepositoryUrl></PropertyGroup></Project>',
      'Weather.csproj',
    );
    expect(facts).toEqual({
      ecosystem: 'nuget',
      identifier: 'Alice.Weather',
      version: '2.0.0',
      description: 'Weather & more',
      repositoryUrl: 'https://github.com/alice/weather',
    });
  });

  it('takes mcp-name from a README but not from inside an HTML comment', () => {
    expect(readmeServerName('# W\n\nmcp-name: io.github.alice/weather\n')).toBe('io.github.alice/weather');
    expect(readmeServerName('<!-- mcp-name: io.github.alice/weather -->')).toBeUndefined();
  });
});

describe('mcp-registry init', () => {
  it('scaffolds from package.json without asking when everything is there', async () => {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: '@alice/weather',
        version: '1.0.0',
        description: 'Weather tools',
        mcpName: 'io.github.alice/weather',
        repository: { type: 'git', url: 'git+https://github.com/alice/weather.git' },
      }),
    );
    expect(await main(['init', '--no-input'], io())).toBe(0);
    expect(written()).toMatchObject({
      name: 'io.github.alice/weather',
      version: '1.0.0',
      repository: { url: 'https://github.com/alice/weather', source: 'github' },
      packages: [{ registryType: 'npm', identifier: '@alice/weather', version: '1.0.0', runtimeHint: 'npx', transport: { type: 'stdio' } }],
    });
  });

  it('warns when uvx would not find a command named after the PyPI package', async () => {
    writeFileSync(
      join(dir, 'pyproject.toml'),
      '[project]\nname = "weather-mcp-server"\nversion = "0.3.1"\ndescription = "Weather"\n[project.scripts]\nweather-mcp = "weather_mcp:main"\n[project.urls]\nSource = "https://github.com/alice/weather"\n',
    );
    expect(await main(['init', '--no-input'], io())).toBe(0);
    expect(err.join('')).toContain(
      '`uvx weather-mcp-server` (the install snippet clients get) runs the command "weather-mcp-server", but pyproject.toml declares only "weather-mcp"',
    );
  });

  it('does not warn when a script carries the PyPI package name', async () => {
    writeFileSync(
      join(dir, 'pyproject.toml'),
      '[project]\nname = "weather_mcp"\nversion = "0.3.1"\ndescription = "Weather"\n[project.scripts]\nweather-mcp = "weather_mcp:main"\n[project.urls]\nSource = "https://github.com/alice/weather"\n',
    );
    expect(await main(['init', '--no-input'], io())).toBe(0);
    expect(err.join('')).not.toContain('warning');
  });

  it('warns when an npm package has no bin for npx to run', async () => {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: '@alice/weather', version: '1.0.0', description: 'Weather tools', mcpName: 'io.github.alice/weather', main: 'index.js' }),
    );
    expect(await main(['init', '--no-input'], io())).toBe(0);
    expect(err.join('')).toContain('package.json has no "bin", so `npx @alice/weather`');
  });

  it('warns when npx could not choose among several bins', async () => {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: '@alice/weather',
        version: '1.0.0',
        description: 'Weather tools',
        mcpName: 'io.github.alice/weather',
        bin: { 'weather-server': 'a.js', 'weather-admin': 'b.js' },
      }),
    );
    expect(await main(['init', '--no-input'], io())).toBe(0);
    expect(err.join('')).toContain('runs the bin named "weather"');
  });

  it("refuses to read the registry clone's own package.json and says to pass --from", async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mcp-static-registry', version: '0.1.0', private: true }));
    writeFileSync(join(dir, 'registry.config.yaml'), 'name: test\n');
    expect(await main(['init', '--no-input'], io())).toBe(2);
    expect(err.join('')).toContain("this folder is a registry clone, not your server's project; pass --from");
    expect(existsSync(join(dir, 'server.json'))).toBe(false);
  });

  it('names the written file in the publish step when --out puts it elsewhere', async () => {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: '@alice/weather', version: '1.0.0', description: 'Weather tools', mcpName: 'io.github.alice/weather', bin: 'index.js' }),
    );
    expect(await main(['init', '--no-input', '--out', 'out/server.json'], io())).toBe(0);
    expect(out.join('')).toContain('next: mcp-registry publish out/server.json --registry OWNER/NAME');
  });

  it('derives the name from the GitHub repository when the manifest declares none', async () => {
    writeFileSync(
      join(dir, 'pyproject.toml'),
      '[project]\nname = "weather-mcp"\nversion = "0.4.1"\ndescription = "Weather"\n[project.urls]\nSource = "https://github.com/alice/weather-mcp"\n',
    );
    expect(await main(['init', '--no-input'], io())).toBe(0);
    expect(written()).toMatchObject({ name: 'io.github.alice/weather-mcp', packages: [{ registryType: 'pypi', runtimeHint: 'uvx' }] });
  });

  it('asks only for what it cannot infer', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'weather', version: '1.0.0', description: 'x'.repeat(150) }));
    const asked: string[] = [];
    const answers = ['io.github.alice/weather', 'Weather tools'];
    expect(
      await runInit([], io(), async (q) => {
        asked.push(q);
        return answers.shift() ?? '';
      }),
    ).toBe(0);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(/Server name/);
    expect(asked[1]).toMatch(/description.*longer/);
    expect(written()).toMatchObject({ name: 'io.github.alice/weather', description: 'Weather tools' });
  });

  it('names the missing flags instead of asking with --no-input', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'weather' }));
    expect(await main(['init', '--no-input'], io())).toBe(2);
    expect(err.join('')).toMatch(/--name VALUE --description VALUE --version VALUE/);
    expect(existsSync(join(dir, 'server.json'))).toBe(false);
  });

  it('lets flags override the manifest', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'weather', version: '1.0.0', description: 'W', mcpName: 'io.github.alice/weather' }));
    expect(await main(['init', '--no-input', '--version', '2.0.0', '--transport', 'streamable-http', '--url', 'https://weather.example.com/mcp'], io())).toBe(
      0,
    );
    expect(written()).toMatchObject({
      version: '2.0.0',
      packages: [{ version: '2.0.0', transport: { type: 'streamable-http', url: 'https://weather.example.com/mcp' } }],
    });
  });

  it('refuses to overwrite an existing server.json without --force', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'weather', version: '1.0.0', description: 'W', mcpName: 'io.github.alice/weather' }));
    writeFileSync(join(dir, 'server.json'), '{}');
    expect(await main(['init', '--no-input'], io())).toBe(2);
    expect(await main(['init', '--no-input', '--force'], io())).toBe(0);
  });

  it('does not write a server.json that fails validation', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'weather', version: '^1.0.0', description: 'W', mcpName: 'io.github.alice/weather' }));
    expect(await main(['init', '--no-input'], io())).toBe(1);
    expect(existsSync(join(dir, 'server.json'))).toBe(false);
  });

  it('scaffolds from a .csproj with the dnx runtime hint', async () => {
    writeFileSync(
      join(dir, 'Weather.csproj'),
      '<Project><PropertyGroup><PackageId>Alice.Weather</PackageId><Version>2.0.0</Version><Description>Weather</Description><RepositoryUrl>https://github.com/alice/weather</RepositoryUrl></PropertyGroup></Project>',
    );
    expect(await main(['init', '--no-input'], io())).toBe(0);
    expect(written()).toMatchObject({
      name: 'io.github.alice/weather',
      packages: [{ registryType: 'nuget', identifier: 'Alice.Weather', runtimeHint: 'dnx' }],
    });
  });
});
