import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';

let root: string;
const out: string[] = [];
const err: string[] = [];

function run(...argv: string[]): Promise<number> {
  out.length = 0;
  err.length = 0;
  return main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: root, env: {} });
}

const STATUS = 'registry/status/io.github.alice/weather.yaml';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mcp-registry-lifecycle-'));
  const dir = join(root, 'servers/io.github.alice/weather');
  mkdirSync(dir, { recursive: true });
  for (const v of ['1.0.0', '2.0.0']) writeFileSync(join(dir, `${v}.json`), '{}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('mcp-registry deprecate|delete|restore', () => {
  it('writes the status file for a deprecation', async () => {
    expect(await run('deprecate', 'io.github.alice/weather', '--version', '1.0.0', '--message', 'Use 2.0.0', '--now', '2026-03-01T10:00:00Z')).toBe(0);
    const text = readFileSync(join(root, STATUS), 'utf8');
    expect(text).toContain('"1.0.0":\n    status: deprecated\n    statusMessage: Use 2.0.0\n    statusChangedAt: "2026-03-01T10:00:00Z"');
  });

  it('tells the author what to do with the written status file', async () => {
    await run('deprecate', 'io.github.alice/weather', '--version', '1.0.0', '--message', 'Use 2.0.0');
    expect(out.join('')).toContain(`next: git add ${STATUS}, commit, and open a pull request on the registry`);
  });

  it('writes byte-identical files for the same changes', async () => {
    await run('delete', 'io.github.alice/weather', '--version', '2.0.0', '--message', 'x', '--now', '2026-03-01T10:00:00Z');
    await run('deprecate', 'io.github.alice/weather', '--version', '1.0.0', '--message', 'y', '--now', '2026-03-01T10:00:00Z');
    const first = readFileSync(join(root, STATUS), 'utf8');
    rmSync(join(root, 'registry'), { recursive: true });
    await run('deprecate', 'io.github.alice/weather', '--version', '1.0.0', '--message', 'y', '--now', '2026-03-01T10:00:00Z');
    await run('delete', 'io.github.alice/weather', '--version', '2.0.0', '--message', 'x', '--now', '2026-03-01T10:00:00Z');
    expect(readFileSync(join(root, STATUS), 'utf8')).toBe(first);
  });

  it('leaves no temporary files behind', async () => {
    await run('delete', 'io.github.alice/weather', '--message', 'gone');
    expect(readdirSync(join(root, 'registry/status/io.github.alice'))).toEqual(['weather.yaml']);
  });

  it('restores a deleted version', async () => {
    await run('delete', 'io.github.alice/weather', '--version', '1.0.0', '--message', 'gone', '--now', '2026-03-01T10:00:00Z');
    expect(await run('restore', 'io.github.alice/weather', '--version', '1.0.0', '--now', '2026-03-02T10:00:00Z')).toBe(0);
    expect(readFileSync(join(root, STATUS), 'utf8')).toContain('"1.0.0":\n    status: active\n    statusChangedAt: "2026-03-02T10:00:00Z"');
  });

  it('exits 1 with a coded diagnostic for an unpublished version', async () => {
    expect(await run('deprecate', 'io.github.alice/weather', '--version', '9.0.0', '--message', 'm', '--format', 'json')).toBe(1);
    const report = JSON.parse(out.join(''));
    expect(report.ok).toBe(false);
    expect(report.files[0].diagnostics[0].code).toBe('lifecycle/unknown-version');
  });

  it('exits 2 when deprecate has no message', async () => {
    expect(await run('deprecate', 'io.github.alice/weather')).toBe(2);
    expect(err.join('')).toMatch(/--message/);
  });

  it('exits 2 for a malformed server name', async () => {
    expect(await run('delete', '../../etc', '--message', 'x')).toBe(2);
  });

  it('exits 1 when the existing status file is broken', async () => {
    mkdirSync(join(root, 'registry/status/io.github.alice'), { recursive: true });
    writeFileSync(join(root, STATUS), 'versions: [\n');
    expect(await run('restore', 'io.github.alice/weather')).toBe(1);
    expect(err.join('')).toMatch(/lifecycle\/yaml/);
  });
});
