/** The build's view: inspections reach `_meta` under the registry's metaNamespace, and only there. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../scripts/catalog/catalog.ts';
import { readInspections } from '../../scripts/inspect/read-inspections.ts';
import { inspectionPath, serialiseInspection } from '../../scripts/inspect/inspection-file.ts';
import type { InspectionFile } from '../../scripts/inspect/inspection-file.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const file: InspectionFile = {
  schemaVersion: 1,
  name: 'io.github.acme/Tracker',
  version: '1.0.0',
  endpoints: [
    {
      url: 'https://mcp.acme.dev/mcp',
      transport: 'streamable-http',
      reachable: true,
      tools: [{ name: 'create_issue', description: '<script>alert(1)</script>', inputSchema: { type: 'object' }, fingerprint: `sha256:${'a'.repeat(64)}` }],
      prompts: [],
      resources: [],
      fingerprint: `sha256:${'b'.repeat(64)}`,
      checkedAt: '2026-01-08T00:00:00.000Z',
      lastReachableAt: '2026-01-08T00:00:00.000Z',
      consecutiveFailures: 0,
      toolChanges: [
        {
          detectedAt: '2026-01-08T00:00:00.000Z',
          from: `sha256:${'c'.repeat(64)}`,
          to: `sha256:${'b'.repeat(64)}`,
          added: [],
          removed: [],
          changed: [{ name: 'create_issue', fields: ['description'], from: `sha256:${'d'.repeat(64)}`, to: `sha256:${'a'.repeat(64)}` }],
          diff: '~ tool',
        },
      ],
    },
  ],
};

async function root(files: [string, string][]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'inspect-meta-'));
  dirs.push(dir);
  for (const [path, text] of files) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const server = { name: 'io.github.acme/Tracker', description: 'x', version: '1.0.0' };

describe('inspections in the build', () => {
  it('appear under _meta[metaNamespace].inspection of their version, with the tools-changed mark', async () => {
    const dir = await root([[inspectionPath(file.name, file.version), serialiseInspection(file)]]);
    const inspections = await readInspections(dir);
    expect(inspections.reports).toEqual([]);
    const catalog = buildCatalog({
      entries: [
        { path: 'servers/io.github.acme/Tracker/1.0.0.json', server },
        { path: 'servers/io.github.acme/Tracker/1.1.0.json', server: { ...server, version: '1.1.0' } },
      ],
      dates: new Map(),
      versionMeta: inspections.meta,
      metaNamespace: 'com.example/registry',
      fallbackDate: '2026-01-01T00:00:00Z',
    });
    const [older, newer] = [catalog.entries.find((e) => e.version === '1.0.0')!, catalog.entries.find((e) => e.version === '1.1.0')!];
    const meta = older.response._meta['com.example/registry'] as { inspection: Record<string, unknown> };
    expect(meta.inspection).toMatchObject({ lastCheckedAt: '2026-01-08T00:00:00.000Z', answering: true, notAnswering: false, toolsChanged: true });
    const endpoint = (meta.inspection.endpoints as Record<string, unknown>[])[0]!;
    // Untrusted text is carried as data; escaping is the renderer's job (the site escapes it).
    expect(endpoint.tools).toEqual([expect.objectContaining({ name: 'create_issue', description: '<script>alert(1)</script>' })]);
    expect(endpoint.toolsChanged).toMatchObject({ changed: ['create_issue'] });
    expect(newer.response._meta['com.example/registry']).toBeUndefined();
    expect(Object.keys(older.response._meta).sort()).toEqual(['com.example/registry', 'io.modelcontextprotocol.registry/official']);
  });

  it('leaves out a file that fails the schema, with a warning, without failing the build', async () => {
    const bad = JSON.stringify({ ...file, endpoints: [{ ...file.endpoints[0], extra: 'x' }] });
    const dir = await root([[inspectionPath(file.name, file.version), bad]]);
    const inspections = await readInspections(dir);
    expect(inspections.meta.size).toBe(0);
    expect(inspections.reports[0]!.diagnostics[0]).toMatchObject({ code: 'inspect/state-invalid', severity: 'warning' });
    expect(inspections.reports[0]!.ok).toBe(true);
  });
});
