import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { commitFiles } from '../../scripts/ingest/commit-files.ts';
import { importFile } from '../../scripts/ingest/import-file.ts';
import { policyExclusion } from '../../scripts/policy/load-policy.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));
const seedPath = fileURLToPath(new URL('../../../shared/data/official-seed-2025-05-16.json', import.meta.url));
const livePath = fileURLToPath(new URL('../../../shared/data/official-live-2025-10-10.json', import.meta.url));
const now = () => new Date('2026-01-01T00:00:00Z');

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]))
    .sort();
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'import-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const run = (file: string, extra: Partial<Parameters<typeof importFile>[0]> = {}) =>
  importFile({ root, file, config: DEFAULT_CONFIG, validate: validateDocument, now, ...extra });

describe('mcp-registry import', () => {
  it('writes each API page entry as pretty JSON at the path its name and version give', async () => {
    await run(fixture('api-page.json'));
    const text = readFileSync(join(root, 'servers/io.github.example-org/calendar-mcp/2.0.0.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "name": "io.github.example-org/calendar-mcp",\n');
    expect(existsSync(join(root, 'servers/io.github.example-org/calendar-mcp/1.0.0.json'))).toBe(true);
  });

  it('records an upstream deprecation in registry/status without touching the entry', async () => {
    await run(fixture('api-page.json'));
    const status = parse(readFileSync(join(root, 'registry/status/io.github.example-org/calendar-mcp.yaml'), 'utf8'));
    expect(status.versions).toEqual({
      '1.0.0': { status: 'deprecated', statusMessage: 'Use 2.0.0: 1.0.0 loses recurring events.', statusChangedAt: '2025-11-02T10:00:00Z' },
    });
    expect(readFileSync(join(root, 'servers/io.github.example-org/calendar-mcp/1.0.0.json'), 'utf8')).not.toContain('deprecated');
  });

  it('records publishedAt from the upstream in registry/upstream', async () => {
    await run(fixture('api-page.json'));
    const provenance = readFileSync(join(root, 'registry/upstream/io.github.example-org/calendar-mcp.yaml'), 'utf8');
    expect(provenance).toContain('upstream: file:api-page.json');
    expect(provenance).toContain('publishedAt: 2025-11-01T08:00:00Z');
  });

  it('writes nothing the second time the same file is imported', async () => {
    await run(fixture('api-page.json'));
    const second = await run(fixture('api-page.json'));
    expect(second.written).toEqual([]);
  });

  it('quarantines entries whose name or version would leave servers/, and writes nothing outside servers/ and registry/', async () => {
    const outcome = await run(fixture('hostile-array.json'));
    expect(outcome.report.ok).toBe(false);
    const codes = outcome.plan!.quarantined.map((q) => q.diagnostics.map((d) => d.code)[0]);
    // An author's array is not mirrored: the version gets an encoded file name, but our rules refuse it.
    expect(codes).toEqual(['version/unsafe-filename', 'entry/unsafe-name', 'entry/reserved-meta']);
    expect(readdirSync(root).sort()).toEqual(['registry', 'servers']);
    expect(listFiles(join(root, 'servers'))).toEqual(['io.github.example-org/honest/1.0.0.json']);
  });

  it('gives the line and column in the imported file of what made an entry refused', async () => {
    const outcome = await run(fixture('hostile-array.json'));
    const forger = outcome.report.files.find((f) => f.diagnostics.some((d) => d.code === 'entry/reserved-meta'))!;
    const lines = readFileSync(fixture('hostile-array.json'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('"isLatest": true')) + 1;
    expect(forger.diagnostics[0]).toMatchObject({ line, column: lines[line - 1]!.indexOf('{ "status"') + 1 });
  });

  it('keeps refused entries with their diagnostics in the quarantine report', async () => {
    const outcome = await run(fixture('hostile-array.json'));
    const report = JSON.parse(readFileSync(join(root, outcome.quarantinePath!), 'utf8'));
    expect(outcome.quarantinePath).toBe('registry/quarantine/import-hostile-array.json');
    expect(report.count).toBe(3);
    expect(report.entries[2].document.name).toBe('io.github.example-org/forger');
    expect(report.entries[2].diagnostics[0].pointer).toBe('/_meta/io.modelcontextprotocol.registry~1official');
  });

  it('keeps an existing file with different content and reports an immutability conflict', async () => {
    const path = join(root, 'servers/io.github.example-org/calendar-mcp/2.0.0.json');
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '{"name": "io.github.example-org/calendar-mcp", "version": "2.0.0", "description": "mine"}\n');
    const outcome = await run(fixture('api-page.json'));
    expect(readFileSync(path, 'utf8')).toContain('"mine"');
    expect(outcome.report.files.flatMap((f) => f.diagnostics.map((d) => d.code))).toContain('entry/immutable-conflict');
  });

  it('leaves out entries the policy denies', async () => {
    const exclude = policyExclusion({ allow: {}, deny: { statuses: ['deprecated'] } });
    const outcome = await run(fixture('api-page.json'), { exclude });
    expect(outcome.plan!.skipped.map((s) => s.version)).toEqual(['1.0.0']);
    expect(existsSync(join(root, 'servers/io.github.example-org/calendar-mcp/1.0.0.json'))).toBe(false);
  });

  it('imports the seed fixture: valid entries written, the nameless one quarantined', async () => {
    const outcome = await run(fixture('seed-sample.json'));
    expect(outcome.shape).toBe('legacy-seed');
    expect(listFiles(join(root, 'servers'))).toEqual([
      'io.github.example-org/notes-mcp/0.0.1-seed.json',
      'io.github.example-org/sql-mcp/0.0.1-seed.json',
      'io.github.example-org/weather-mcp/0.0.1-seed.json',
    ]);
    expect(outcome.plan!.quarantined.length).toBe(1);
  });

  it.skipIf(!existsSync(seedPath))('imports the real 2025-05-16 seed, quarantining what does not validate', async () => {
    const outcome = await run(seedPath);
    const { accepted, quarantined } = outcome.plan!;
    expect(accepted.length + quarantined.length).toBe(471);
    expect(accepted.length).toBeGreaterThan(250);
    expect(listFiles(join(root, 'servers')).length).toBe(accepted.length);
  });

  it.skipIf(!existsSync(livePath))('imports the official /v0/servers dump of 2025-10-10 (BOM, no $schema, latest versions)', async () => {
    const outcome = await run(livePath);
    const { accepted, quarantined } = outcome.plan!;
    expect(outcome.shape).toBe('server-responses');
    // Lossless mirroring: every version the official registry served is kept (docs/import.md).
    expect(quarantined).toEqual([]);
    expect(accepted.length).toBe(1107);
    expect(accepted.some((a) => a.warnings?.some((w) => w.startsWith('package/version-latest ')))).toBe(true);
    expect(listFiles(join(root, 'servers')).length).toBe(accepted.length);
  });
});

describe('the tree an import checks against', () => {
  it('is read as validate reads it: a symbolic link under servers/ is never followed', async () => {
    // The linked file claims the name in another case; followed, it would quarantine both entries.
    const outside = mkdtempSync(join(tmpdir(), 'import-outside-'));
    try {
      writeFileSync(join(outside, 'claim.json'), JSON.stringify({ name: 'io.github.Example-Org/calendar-mcp', version: '0.9.0' }));
      mkdirSync(join(root, 'servers/io.github.Example-Org/calendar-mcp'), { recursive: true });
      symlinkSync(join(outside, 'claim.json'), join(root, 'servers/io.github.Example-Org/calendar-mcp/0.9.0.json'));
      const outcome = await run(fixture('api-page.json'));
      expect(outcome.plan!.quarantined).toEqual([]);
      expect(outcome.plan!.accepted.map((a) => a.server.version)).toEqual(['1.0.0', '2.0.0']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('takes a regular file in another case into the conflict rules', async () => {
    mkdirSync(join(root, 'servers/io.github.Example-Org/calendar-mcp'), { recursive: true });
    writeFileSync(
      join(root, 'servers/io.github.Example-Org/calendar-mcp/0.9.0.json'),
      JSON.stringify({ name: 'io.github.Example-Org/calendar-mcp', version: '0.9.0' }),
    );
    const outcome = await run(fixture('api-page.json'));
    expect(outcome.plan!.quarantined.flatMap((q) => q.diagnostics.map((d) => d.code))).toContain('registry/name-case-conflict');
  });
});

describe('staging folders of the commit of earlier versions', () => {
  it('removes one that holds no replaced file', async () => {
    mkdirSync(join(root, '.mcp-registry-staging-AbC123/new'), { recursive: true });
    mkdirSync(join(root, '.mcp-registry-staging-AbC123/old'));
    writeFileSync(join(root, '.mcp-registry-staging-AbC123/new/0'), '{}\n');
    const outcome = await run(fixture('api-page.json'));
    expect(existsSync(join(root, '.mcp-registry-staging-AbC123'))).toBe(false);
    expect(outcome.report.files.flatMap((f) => f.diagnostics.map((d) => d.code))).not.toContain('commit/stale-staging');
  });

  it('keeps one that holds a replaced file, and says so', async () => {
    mkdirSync(join(root, '.mcp-registry-staging-XyZ789/old'), { recursive: true });
    writeFileSync(join(root, '.mcp-registry-staging-XyZ789/old/3'), 'versions: {}\n');
    const outcome = await run(fixture('api-page.json'));
    expect(readFileSync(join(root, '.mcp-registry-staging-XyZ789/old/3'), 'utf8')).toBe('versions: {}\n');
    const notes = outcome.report.files.flatMap((f) => f.diagnostics).filter((d) => d.code === 'commit/stale-staging');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.severity).toBe('warning');
    expect(notes[0]!.message).toContain('.mcp-registry-staging-XyZ789/');
    expect(notes[0]!.message).toContain('1 file(s)');
    expect(outcome.report.ok).toBe(true);
  });
});

describe('atomic commit', () => {
  it('puts every file back when a rename fails midway', async () => {
    const existing = join(root, 'servers/a.b/c/1.0.0.json');
    mkdirSync(join(existing, '..'), { recursive: true });
    writeFileSync(existing, 'old\n');
    const changes = [
      { path: 'servers/a.b/c/1.0.0.json', text: 'new\n' },
      { path: 'servers/a.b/d/1.0.0.json', text: 'new\n' },
      { path: 'registry/status/a.b/c.yaml', text: 'x\n' },
    ];
    await expect(
      commitFiles(root, changes, {
        beforeRename: (i) => {
          if (i === 2) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow(/nothing was changed/);
    expect(readFileSync(existing, 'utf8')).toBe('old\n');
    expect(listFiles(root)).toEqual(['servers/a.b/c/1.0.0.json']);
  });

  it('refuses paths outside servers/ and registry/', async () => {
    await expect(commitFiles(root, [{ path: 'servers/../package.json', text: '{}' }])).rejects.toThrow(/only under servers\/ and registry\//);
    await expect(commitFiles(root, [{ path: 'dist/x', text: '{}' }])).rejects.toThrow(/only under/);
  });
});
