import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerJson, ServerResponse } from '../../scripts/core/api-types.ts';
import { planPackageLaunch } from '../../scripts/site/install-launch.ts';
import { configKey, renderInstallOptions, shellQuote } from '../../scripts/site/install-snippets.ts';

const responses = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
function server(name: string, version?: string): ServerJson {
  const found = responses.find((r) => r.server.name === name && (version === undefined || r.server.version === version));
  if (!found) throw new Error(`fixture ${name} missing`);
  return found.server;
}
function snippet(s: ServerJson, target: string, option = 0): string {
  const text = renderInstallOptions(s)[option]?.snippets.find((x) => x.target === target)?.text;
  if (text === undefined) throw new Error(`no ${target} snippet`);
  return text;
}

describe('install snippets', () => {
  it('runs an npm package with npx -y at its exact version, required env and args as placeholders', () => {
    const config = JSON.parse(snippet(server('io.github.acme/weather', '1.2.0'), 'claude-desktop'));
    expect(config).toEqual({
      mcpServers: {
        weather: {
          command: 'npx',
          args: ['-y', '@acme/weather-mcp@1.2.0', '--region', '<region>', '/tmp/weather'],
          env: { WEATHER_API_KEY: '<WEATHER_API_KEY>' },
        },
      },
    });
  });

  it('leaves out optional inputs that have no fixed value', () => {
    expect(snippet(server('io.github.acme/weather', '1.2.0'), 'cli')).not.toContain('UNITS');
  });

  it('lists each placeholder with its description and whether it is secret', () => {
    const [option] = renderInstallOptions(server('io.github.acme/weather', '1.2.0'));
    expect(option?.placeholders).toContainEqual({ text: '<WEATHER_API_KEY>', description: 'API key from acme.example', isSecret: true });
  });

  it('writes a VS Code mcp.json entry with a stdio type', () => {
    const config = JSON.parse(snippet(server('io.github.acme/weather', '1.2.0'), 'vscode'));
    expect(config.servers.weather.type).toBe('stdio');
    expect(config.servers.weather.command).toBe('npx');
  });

  it('writes a claude mcp add command with env flags before the name and the command after --', () => {
    expect(snippet(server('io.github.acme/weather', '1.2.0'), 'claude-code')).toBe(
      "claude mcp add -e 'WEATHER_API_KEY=<WEATHER_API_KEY>' weather -- npx -y @acme/weather-mcp@1.2.0 --region '<region>' /tmp/weather",
    );
  });

  it('runs a PyPI package with uvx name==version', () => {
    expect(snippet(server('io.github.acme/weather-alerts'), 'cli')).toBe('uvx weather-alerts-mcp==0.3.0');
  });

  it('runs a NuGet package with dnx name@version --yes', () => {
    expect(snippet(server('io.github.dotnet/files'), 'cli')).toBe('dnx Dotnet.Files.Mcp@1.0.0 --yes');
  });

  it('runs an OCI image with docker run, passing env through -e', () => {
    expect(snippet(server('io.github.boxes/docker-tools'), 'cli')).toBe("TOKEN='<TOKEN>' docker run -i --rm -e TOKEN ghcr.io/boxes/docker-tools:0.9.0");
  });

  it('connects to a remote by URL with variables and headers as placeholders', () => {
    const remote = server('com.example/remote-db');
    expect(JSON.parse(snippet(remote, 'vscode'))).toEqual({
      servers: {
        'remote-db': { type: 'http', url: 'https://<tenant>.db.example.com/mcp', headers: { Authorization: 'Bearer <token>' } },
      },
    });
    expect(snippet(remote, 'claude-code')).toBe(
      "claude mcp add --transport http --header 'Authorization: Bearer <token>' remote-db 'https://<tenant>.db.example.com/mcp'",
    );
  });

  it('has no command-line snippet for a remote', () => {
    const targets = renderInstallOptions(server('com.example/remote-db'))[0]?.snippets.map((s) => s.target);
    expect(targets).toEqual(['claude-desktop', 'vscode', 'cursor', 'claude-code']);
  });

  it('bridges a remote into Claude Desktop through mcp-remote', () => {
    const config = JSON.parse(snippet(server('com.example/remote-db'), 'claude-desktop'));
    expect(config.mcpServers['remote-db'].args.slice(0, 3)).toEqual(['-y', 'mcp-remote', 'https://<tenant>.db.example.com/mcp']);
  });

  it('fills a package transport URL variable with the value its argument gets in the command', () => {
    const plan = planPackageLaunch({
      registryType: 'npm',
      identifier: '@acme/weather-http',
      version: '2.0.0',
      transport: { type: 'streamable-http', url: 'http://localhost:{port}/mcp' },
      packageArguments: [{ type: 'named', name: '--port', valueHint: 'port', default: '3000', isRequired: true }],
    } as never);
    expect(plan.launch).toMatchObject({ url: 'http://localhost:3000/mcp', start: { args: ['-y', '@acme/weather-http@2.0.0', '--port', '3000'] } });
    expect(plan.placeholders).toEqual([]);
  });

  it('uses a default for a required argument that has one', () => {
    expect(snippet(server('io.github.rtl/arabic-notes'), 'cli')).toBe('uvx arabic-notes==1.0.0 --port 8080');
  });

  it('gives notes instead of snippets for an MCPB bundle', () => {
    const [option] = renderInstallOptions({
      name: 'io.github.a/b',
      description: 'd',
      version: '1.0.0',
      packages: [
        { registryType: 'mcpb', identifier: 'https://github.com/a/b/releases/download/v1/b.mcpb', fileSha256: 'a'.repeat(64), transport: { type: 'stdio' } },
      ],
    });
    expect(option?.snippets).toEqual([]);
    expect(option?.notes[0]).toMatch(/Download the MCPB bundle/);
  });

  it('quotes shell words that carry metacharacters', () => {
    expect(shellQuote(`"><script>alert('x')</script>`)).toBe(`'"><script>alert('\\''x'\\'')</script>'`);
  });

  it('derives the config key from the part of the name after the namespace', () => {
    expect(configKey('io.github.acme/weather')).toBe('weather');
  });
});

describe('install links', () => {
  const links = (s: ServerJson, option = 0) => renderInstallOptions(s)[option]?.links ?? [];
  const link = (s: ServerJson, client: string, option = 0) => {
    const found = links(s, option).find((l) => l.client === client);
    if (!found) throw new Error(`no ${client} link`);
    return new URL(found.url);
  };

  it('opens VS Code with the config, asking for each placeholder through its own inputs, secrets as passwords', () => {
    const url = link(server('io.github.acme/weather', '1.2.0'), 'vscode');
    expect(`${url.origin}${url.pathname}`).toBe('https://insiders.vscode.dev/redirect/mcp/install');
    expect(url.searchParams.get('name')).toBe('weather');
    expect(JSON.parse(url.searchParams.get('config') ?? '')).toEqual({
      type: 'stdio',
      command: 'npx',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a client config variable, not a template literal
      args: ['-y', '@acme/weather-mcp@1.2.0', '--region', '${input:region}', '/tmp/weather'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a client config variable, not a template literal
      env: { WEATHER_API_KEY: '${input:WEATHER_API_KEY}' },
    });
    expect(JSON.parse(url.searchParams.get('inputs') ?? '')).toContainEqual({
      type: 'promptString',
      id: 'WEATHER_API_KEY',
      description: 'API key from acme.example',
      password: true,
    });
    expect(link(server('io.github.acme/weather', '1.2.0'), 'vscode-insiders').searchParams.get('quality')).toBe('insiders');
  });

  it('never puts a placeholder or a value to fill in into any link', () => {
    for (const response of responses) {
      for (const option of renderInstallOptions(response.server)) {
        for (const l of option.links) {
          const decoded = decodeURIComponent(l.url);
          const text = l.client === 'cursor' ? atob(new URL(l.url).searchParams.get('config') ?? '') : decoded;
          for (const p of option.placeholders) {
            if (l.client === 'goose') expect(decoded, `${l.client} ${p.text}`).not.toContain(`=${p.text}`);
            else expect(text, `${l.client} ${p.text}`).not.toContain(p.text);
          }
        }
      }
    }
  });

  it('gives Cursor a base64 config reading placeholders from the environment', () => {
    const url = link(server('io.github.acme/weather', '1.2.0'), 'cursor');
    expect(url.protocol).toBe('cursor:');
    const config = JSON.parse(atob(url.searchParams.get('config') ?? ''));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a client config variable, not a template literal
    expect(config.env).toEqual({ WEATHER_API_KEY: '${env:WEATHER_API_KEY}' });
  });

  it('gives Goose the command, its arguments and the variables it should ask for', () => {
    const files = server('io.github.dotnet/files');
    const url = link(files, 'goose');
    expect(url.protocol).toBe('goose:');
    expect(url.searchParams.get('cmd')).toBe('dnx');
    expect(url.searchParams.getAll('arg')).toEqual(['Dotnet.Files.Mcp@1.0.0', '--yes']);
    // The weather server needs a value in its arguments, which Goose cannot ask for.
    expect(links(server('io.github.acme/weather', '1.2.0')).map((l) => l.client)).not.toContain('goose');
  });

  it('connects to a remote by URL', () => {
    const remote = responses.map((r) => r.server).find((s) => Array.isArray(s.remotes) && s.remotes.length > 0 && !s.packages?.length);
    if (!remote) throw new Error('no remote-only fixture');
    const config = JSON.parse(link(remote, 'vscode').searchParams.get('config') ?? '');
    expect(config.url).toMatch(/^https:\/\//);
  });

  it('offers no link for an MCPB bundle, which is opened as a file', () => {
    const mcpb = responses.map((r) => r.server).find((s) => s.packages?.some((p) => p.registryType === 'mcpb'));
    if (mcpb) expect(links(mcpb).length).toBe(0);
  });
});
