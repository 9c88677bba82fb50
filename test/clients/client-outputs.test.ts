/**
 * The enterprise policy outputs, checked against the shapes their vendors document (the schemas
 * below state those documented facts; each is first shown to accept the vendor's own example) and
 * against the servers the built API actually serves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ServerJson, ServerStatus } from '../../scripts/core/api-types.ts';
import { LIST_FILE } from '../../scripts/api/api-layout.ts';
import { serverView } from '../../scripts/catalog/server-view.ts';
import type { VersionView } from '../../scripts/catalog/server-view.ts';
import { CLIENT_FILES, clientFiles, dockerCatalog, managedSettings, packageCommand, toolhiveRegistry } from '../../scripts/clients/client-outputs.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { apiEmitter } from '../../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { CachedYaml, clientEmitter } from '../../scripts/emit/client-emitter.ts';
import { defaultEmitters } from '../../scripts/emit/emitters.ts';
import { fixtureRoot, sortedPathDates } from '../fixtures/api/build-fixture.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
formatsModule.default(ajv, ['uri', 'date-time']);

/** Managed settings: each entry has exactly one of serverName, serverCommand (argv) or serverUrl. */
const managedSchema = {
  type: 'object',
  properties: {
    allowedMcpServers: { type: 'array', items: { $ref: '#/$defs/entry' } },
    deniedMcpServers: { type: 'array', items: { $ref: '#/$defs/entry' } },
  },
  $defs: {
    entry: {
      oneOf: [
        { type: 'object', required: ['serverName'], additionalProperties: false, properties: { serverName: { type: 'string', minLength: 1 } } },
        {
          type: 'object',
          required: ['serverCommand'],
          additionalProperties: false,
          properties: { serverCommand: { type: 'array', minItems: 1, items: { type: 'string' } } },
        },
        { type: 'object', required: ['serverUrl'], additionalProperties: false, properties: { serverUrl: { type: 'string', minLength: 1 } } },
      ],
    },
  },
};
/** The shape of the example in GitHub's "configure an enterprise allowlist" page. */
const copilotExample = {
  allowedMcpServers: [{ serverUrl: 'https://api.example.com/*' }, { serverCommand: ['npx', '@scope/pkg@latest'] }, { serverName: 'github' }],
  deniedMcpServers: [{ serverCommand: ['npx', '-y', '@scope/server-filesystem', '/'] }],
};

/** ToolHive's registry file over the official server.json: version x.y.z, meta.last_updated, data.servers. */
const toolhiveSchema = {
  type: 'object',
  required: ['version', 'meta', 'data'],
  properties: {
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
    meta: { type: 'object', required: ['last_updated'], properties: { last_updated: { type: 'string', format: 'date-time' } } },
    data: { type: 'object', required: ['servers'], properties: { servers: { type: 'array', items: { type: 'object' } } } },
  },
};

/** Docker's catalog: registry maps keys to servers with a name and a type of server|remote|poci. */
const dockerSchema = {
  type: 'object',
  required: ['registry'],
  properties: {
    registry: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['name', 'type'],
        properties: {
          name: { type: 'string', minLength: 1 },
          type: { enum: ['server', 'remote', 'poci'] },
          image: { type: 'string' },
          remote: { type: 'object', properties: { url: { type: 'string' }, transport_type: { enum: ['sse', 'streamable-http'] } } },
        },
        oneOf: [
          { required: ['image'], properties: { type: { const: 'server' }, image: { minLength: 1 } } },
          { required: ['remote'], properties: { type: { const: 'remote' }, remote: { required: ['url'] } } },
          { properties: { type: { const: 'poci' } } },
        ],
      },
    },
  },
};

const serverSchema = ajv.compile(JSON.parse(readFileSync(new URL('../../schemas/server.schema.json', import.meta.url), 'utf8')) as object);

function check(schema: object, value: unknown): string[] {
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

let day = 0;
function version(server: ServerJson, status: ServerStatus, isLatest: boolean): VersionView {
  const at = new Date(Date.UTC(2026, 0, 1 + day++)).toISOString();
  const official = { status, statusChangedAt: at, publishedAt: at, updatedAt: at, isLatest };
  return { version: server.version, official, response: { server, _meta: { 'io.modelcontextprotocol.registry/official': official } } };
}

const base = {
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  description: 'A server used by the client output tests',
};
const npmServer = (v: string): ServerJson => ({
  ...base,
  name: 'io.github.acme/notes',
  version: v,
  packages: [{ registryType: 'npm', identifier: '@acme/notes-mcp', version: v, transport: { type: 'stdio' } }],
});
const ociServer: ServerJson = {
  ...base,
  name: 'io.github.acme/Box',
  title: 'Box',
  version: '2.0.0',
  packages: [{ registryType: 'oci', identifier: 'ghcr.io/acme/box:2.0.0', transport: { type: 'stdio' } }],
};
const remoteServer: ServerJson = {
  ...base,
  name: 'com.acme/api',
  version: '1.0.0',
  remotes: [
    { type: 'streamable-http', url: 'https://mcp.acme.com/mcp' },
    { type: 'sse', url: 'https://{tenant}.acme.com/sse' },
  ],
};
const pypiGone: ServerJson = {
  ...base,
  name: 'io.github.acme/gone',
  version: '0.1.0',
  packages: [{ registryType: 'pypi', identifier: 'acme-gone', version: '0.1.0', transport: { type: 'stdio' } }],
};

const views = [
  serverView('io.github.acme/notes', [
    version(npmServer('1.0.0'), 'deleted', false),
    version(npmServer('1.1.0'), 'deprecated', false),
    version(npmServer('1.2.0'), 'active', true),
  ]),
  serverView('io.github.acme/Box', [version(ociServer, 'active', true)]),
  serverView('com.acme/api', [version(remoteServer, 'active', true)]),
  serverView('io.github.acme/gone', [version(pypiGone, 'deleted', false)]),
];

describe('managed settings (Claude Code, GitHub Copilot)', () => {
  it('the schema of documented facts accepts the vendor example and refuses an entry with two keys', () => {
    expect(check(managedSchema, copilotExample)).toEqual([]);
    expect(check(managedSchema, { allowedMcpServers: [{ serverName: 'a', serverCommand: ['b'] }] })).not.toEqual([]);
  });

  it('allows every served server by name, command and URL; denies what only deleted versions used', () => {
    const settings = managedSettings(views);
    expect(check(managedSchema, settings)).toEqual([]);
    expect(settings.allowedMcpServers).toEqual([
      { serverName: 'io.github.acme/notes' },
      { serverCommand: ['npx', '-y', '@acme/notes-mcp@1.2.0'] },
      { serverCommand: ['npx', '-y', '@acme/notes-mcp@1.1.0'] },
      { serverName: 'io.github.acme/Box' },
      { serverCommand: ['docker', 'run', '-i', '--rm', 'ghcr.io/acme/box:2.0.0'] },
      { serverName: 'com.acme/api' },
      { serverUrl: 'https://mcp.acme.com/mcp' },
      { serverUrl: 'https://*.acme.com/sse' },
    ]);
    expect(settings.deniedMcpServers).toEqual([
      { serverCommand: ['npx', '-y', '@acme/notes-mcp@1.0.0'] },
      { serverName: 'io.github.acme/gone' },
      { serverCommand: ['uvx', 'acme-gone==0.1.0'] },
    ]);
  });

  it('a command the registry cannot pin exactly gets no serverCommand entry', () => {
    expect(packageCommand({ registryType: 'mcpb', identifier: 'https://x.example/a.mcpb', transport: { type: 'stdio' } })).toBeUndefined();
    expect(
      packageCommand({ registryType: 'npm', identifier: 'a', version: '1', transport: { type: 'streamable-http', url: 'http://localhost:1/mcp' } }),
    ).toBeUndefined();
  });
});

describe('ToolHive registry', () => {
  it('carries the latest served server.json of each server, each valid against the server schema', () => {
    const registry = toolhiveRegistry(views, '2026-02-01T00:00:00.000Z') as { data: { servers: ServerJson[] } };
    expect(check(toolhiveSchema, registry)).toEqual([]);
    expect(registry.data.servers.map((s) => `${s.name}@${s.version}`)).toEqual([
      'io.github.acme/notes@1.2.0',
      'io.github.acme/Box@2.0.0',
      'com.acme/api@1.0.0',
    ]);
    for (const s of registry.data.servers) expect(serverSchema(s), JSON.stringify(serverSchema.errors)).toBe(true);
  });
});

describe('Docker MCP catalog', () => {
  it('the schema accepts a documented-shape entry and refuses a server without an image', () => {
    const example = {
      registry: {
        fetch: { name: 'fetch', type: 'server', image: 'mcp/fetch' },
        r: { name: 'r', type: 'remote', remote: { url: 'https://x.example/mcp', transport_type: 'streamable-http' } },
      },
    };
    expect(check(dockerSchema, example)).toEqual([]);
    expect(check(dockerSchema, { registry: { f: { name: 'f', type: 'server' } } })).not.toEqual([]);
  });

  it('holds the OCI and remote servers and says which ones the format cannot carry', () => {
    const { yaml, left } = dockerCatalog(views, { baseUrl: 'https://reg.example', registryName: 'acme' });
    const doc = parse(yaml) as { registry: Record<string, { type: string; image: string; remote?: { url: string } }> };
    expect(check(dockerSchema, doc)).toEqual([]);
    expect(Object.keys(doc.registry)).toEqual(['io-github-acme-box', 'com-acme-api']);
    expect(doc.registry['io-github-acme-box']?.image).toBe('ghcr.io/acme/box:2.0.0');
    expect(doc.registry['com-acme-api']?.remote?.url).toBe('https://mcp.acme.com/mcp');
    expect(left).toEqual(['io.github.acme/notes']);
  });
});

describe('the build writes them for exactly the servers the API serves', () => {
  it('dist/clients/ matches /v0.1/servers of the same build', async () => {
    expect(defaultEmitters).toContain(clientEmitter);
    const root = fixtureRoot();
    const out = join(root, 'dist');
    const result = await buildRegistry({
      root,
      config: structuredClone(DEFAULT_CONFIG),
      out,
      baseUrl: 'https://reg.example',
      dates: sortedPathDates,
      emitters: [apiEmitter, clientEmitter],
    });
    expect(result.written).toBeTruthy();
    const list = JSON.parse(readFileSync(join(out, LIST_FILE), 'utf8')) as { servers: { server: ServerJson }[] };
    const served = [...new Set(list.servers.map((s) => s.server.name))].sort();
    const settings = JSON.parse(readFileSync(join(out, CLIENT_FILES.managedSettings), 'utf8')) as ReturnType<typeof managedSettings>;
    expect(check(managedSchema, settings)).toEqual([]);
    const allowedNames = settings.allowedMcpServers.flatMap((e) => ('serverName' in e ? [e.serverName] : [])).sort();
    expect(allowedNames).toEqual(served);
    for (const name of allowedNames) expect(settings.deniedMcpServers).not.toContainEqual({ serverName: name });
    const toolhive = JSON.parse(readFileSync(join(out, CLIENT_FILES.toolhive), 'utf8')) as { data: { servers: ServerJson[] } };
    expect(toolhive.data.servers.map((s) => s.name).sort()).toEqual(served);
    expect(JSON.parse(readFileSync(join(out, CLIENT_FILES.vscodeSettings), 'utf8'))).toEqual({ 'chat.mcp.gallery.serviceUrl': 'https://reg.example' });
    expect(JSON.parse(readFileSync(join(out, CLIENT_FILES.vscodePolicy), 'utf8'))).toEqual({ McpGalleryServiceUrl: 'https://reg.example' });
    expect(check(dockerSchema, parse(readFileSync(join(out, CLIENT_FILES.docker), 'utf8')))).toEqual([]);
  });

  it('the files are the same for the same input (deterministic)', () => {
    const input = { servers: views, baseUrl: 'https://reg.example', registryName: 'acme', builtAt: '2026-02-01T00:00:00.000Z' };
    expect(clientFiles(input)).toEqual(clientFiles(input));
  });
});

describe('the Docker catalog rendered entry by entry', () => {
  // Titles and descriptions yaml must quote, fold or write as block text.
  const tricky = (i: number, extra: Partial<ServerJson>): ServerJson => ({
    ...ociServer,
    name: `io.github.acme/t${i}`,
    packages: [{ registryType: 'oci', identifier: `ghcr.io/acme/t${i}:1`, transport: { type: 'stdio' } }],
    ...extra,
  });
  const trickyViews = [
    ...views,
    ...[
      { title: 'yes', description: `${'a long description that yaml folds '.repeat(8)}end` },
      { title: '- not a list: #1', description: 'line one\nline two\n\n  indented' },
      { title: 'it\'s "quoted" & *starred*', description: '@at {brace} [bracket] ünïcödé 🙂' },
      { description: '   leading and trailing spaces   ' },
      { title: '', description: '' },
    ].map((extra, i) => serverView(`io.github.acme/t${i}`, [version(tricky(i, extra), 'active', true)])),
  ];
  const input = { baseUrl: 'https://reg.example', registryName: 'acme: "the" registry' };
  /** What yaml writes for the whole document at once: the bytes the catalog must have. */
  const whole = (yaml: string) => stringify(parse(yaml));

  it('is the document yaml writes whole, with a memo or without, empty or not', () => {
    const plain = dockerCatalog(trickyViews, input).yaml;
    expect(plain).toBe(whole(plain));
    expect(Object.keys((parse(plain) as { registry: object }).registry)).toHaveLength(7);
    const memo = CachedYaml.parse(undefined);
    expect(dockerCatalog(trickyViews, input, memo).yaml).toBe(plain);
    const empty = dockerCatalog([views[0] as (typeof views)[0]], input).yaml;
    expect(empty).toBe(whole(empty));
    expect(empty).toContain('registry: {}');
  });

  it('comes from the kept entries on the next build, and a changed entry is rendered again', () => {
    const first = CachedYaml.parse(undefined);
    const plain = dockerCatalog(trickyViews, input, first).yaml;
    expect(first.changed()).toBe(true);
    const second = CachedYaml.parse(first.render());
    expect(dockerCatalog(trickyViews, input, second).yaml).toBe(plain);
    expect(second.changed()).toBe(false);
    // Proof that kept entries are used: a kept entry's text is what the catalog gets.
    const marked = JSON.parse(first.render()) as { stamp: string; entries: Record<string, string> };
    for (const digest of Object.keys(marked.entries)) marked.entries[digest] = `${marked.entries[digest]}# kept\n`;
    expect(dockerCatalog(trickyViews, input, CachedYaml.parse(JSON.stringify(marked))).yaml.match(/# kept/g)).toHaveLength(7);
    // Another base URL changes every entry's registryUrl: nothing is taken from the cache.
    const other = CachedYaml.parse(first.render());
    const moved = dockerCatalog(trickyViews, { ...input, baseUrl: 'https://other.example' }, other).yaml;
    expect(moved).toBe(whole(moved));
    expect(other.changed()).toBe(true);
    // A corrupt or foreign cache is none.
    for (const text of ['{', '[]', JSON.stringify({ stamp: 'old', entries: marked.entries })]) {
      expect(dockerCatalog(trickyViews, input, CachedYaml.parse(text)).yaml).toBe(plain);
    }
  });
});
