import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_URL } from '../../scripts/core/api-types.ts';
import { mapLegacySeedServer, shortenDescription } from '../../scripts/ingest/legacy-seed.ts';
import { readImport } from '../../scripts/ingest/read-import.ts';

const seed = JSON.parse(readFileSync(new URL('../fixtures/import/seed-sample.json', import.meta.url), 'utf8')) as Record<string, unknown>[];

describe('legacy 2025-05-16 seed mapping', () => {
  it('maps snake_case npm packages to camelCase with a stdio transport and the npm base URL', () => {
    const { server } = mapLegacySeedServer(seed[0]!);
    expect(server.$schema).toBe(CURRENT_SCHEMA_URL);
    expect(server.version).toBe('0.0.1-seed');
    expect(server.packages).toEqual([
      {
        registryType: 'npm',
        registryBaseUrl: 'https://registry.npmjs.org',
        identifier: '@example-org/weather-mcp',
        version: '1.4.0',
        runtimeHint: 'npx',
        transport: { type: 'stdio' },
        packageArguments: [
          { description: 'Units for temperatures', isRequired: false, format: 'string', value: 'metric', type: 'named', name: '--units', valueHint: 'metric' },
        ],
        environmentVariables: [{ description: 'API key of the forecast service', name: 'WEATHER_API_KEY' }],
      },
    ]);
  });

  it('keeps the release date as publishedAt and reports the dropped seed id', () => {
    const mapped = mapLegacySeedServer(seed[0]!);
    expect(mapped.publishedAt).toBe('2025-05-16T18:56:49Z');
    expect(mapped.notes.map((n) => [n.code, n.pointer])).toEqual([['import/dropped-field', '/id']]);
  });

  it('drops packages of registry type unknown with a warning naming the package', () => {
    const mapped = mapLegacySeedServer(seed[1]!);
    expect(mapped.server.packages).toBeUndefined();
    const note = mapped.notes.find((n) => n.code === 'import/unknown-registry-type');
    expect(note?.pointer).toBe('/packages/0/registry_name');
    expect(note?.message).toMatch(/notes-mcp/);
  });

  it('drops a package whose registry_name or argument keys are named like Object members', () => {
    const raw = {
      ...seed[0]!,
      packages: [
        { registry_name: 'constructor', name: 'a-pkg', version: '1.0.0' },
        { registry_name: 'npm', name: 'b-pkg', version: '1.0.0', environment_variables: [{ name: 'KEY', constructor: 'x', toString: 'y' }] },
      ],
    };
    const mapped = mapLegacySeedServer(raw);
    expect(mapped.server.packages).toEqual([
      {
        registryType: 'npm',
        registryBaseUrl: 'https://registry.npmjs.org',
        identifier: 'b-pkg',
        version: '1.0.0',
        runtimeHint: 'npx',
        transport: { type: 'stdio' },
        environmentVariables: [{ name: 'KEY' }],
      },
    ]);
    expect(mapped.notes.filter((n) => n.code !== 'import/dropped-field' || n.pointer !== '/id').map((n) => n.pointer)).toEqual([
      '/packages/0/registry_name',
      '/packages/1/environment_variables/0/constructor',
      '/packages/1/environment_variables/0/toString',
    ]);
  });

  it('maps docker packages to oci with the tag in the identifier', () => {
    const { server } = mapLegacySeedServer(seed[2]!);
    expect(server.packages?.[0]).toMatchObject({ registryType: 'oci', identifier: 'example/sql-mcp:0.3.1', runtimeHint: 'docker' });
    expect(server.packages?.[0]?.version).toBeUndefined();
  });

  it('splits a named argument that spells flag and value as one name', () => {
    const raw = {
      name: 'io.github.a/b',
      description: 'd',
      version_detail: { version: '1.0.0' },
      packages: [
        { registry_name: 'pypi', name: 'b', version: '1.0.0', package_arguments: [{ type: 'named', name: '--directory <path>', value: '--directory <path>' }] },
      ],
    };
    const mapped = mapLegacySeedServer(raw);
    expect(mapped.server.packages?.[0]?.packageArguments).toEqual([{ type: 'named', name: '--directory', value: '<path>' }]);
    expect(mapped.notes.map((n) => n.code)).toContain('import/argument-split');
  });

  it('shortens descriptions over 100 characters at a word boundary', () => {
    const long = 'word '.repeat(30).trim();
    const short = shortenDescription(long);
    expect([...short].length).toBeLessThanOrEqual(100);
    expect(short.endsWith('word…')).toBe(true);
    expect(shortenDescription('short')).toBe('short');
  });

  it('drops a repository without URL and reports it', () => {
    const mapped = mapLegacySeedServer(seed[3]!);
    expect(mapped.server.repository).toBeUndefined();
    expect(mapped.notes.some((n) => n.code === 'import/empty-repository')).toBe(true);
  });
});

describe('import file shapes', () => {
  const server = { name: 'io.github.a/b', description: 'd', version: '1.0.0' };
  const official = { 'io.modelcontextprotocol.registry/official': { status: 'deleted', publishedAt: '2025-01-01T00:00:00Z' } };

  it('recognises an API page and reads the upstream status', () => {
    const read = readImport({ servers: [{ server, _meta: official }], metadata: { count: 1 } });
    expect(read.ok && read.shape).toBe('api-pages');
    expect(read.ok && read.items[0]?.official).toEqual({ status: 'deleted', publishedAt: '2025-01-01T00:00:00Z' });
  });

  it('recognises a list of API pages, a {server,_meta} array, a server.json array and the seed', () => {
    const shape = (v: unknown) => {
      const r = readImport(v);
      return r.ok ? r.shape : r.diagnostic.code;
    };
    expect(shape([{ servers: [{ server }] }, { servers: [] }])).toBe('api-pages');
    expect(shape([{ server, _meta: official }])).toBe('server-responses');
    expect(shape([server])).toBe('server-array');
    expect(shape(server)).toBe('server');
    expect(shape(seed)).toBe('legacy-seed');
    expect(shape('text')).toBe('import/unknown-shape');
  });

  it('adds a missing $schema with a warning', () => {
    const read = readImport([server]);
    expect(read.ok && read.items[0]?.server.$schema).toBe(CURRENT_SCHEMA_URL);
    expect(read.ok && read.items[0]?.notes[0]?.code).toBe('import/schema-added');
  });
});
