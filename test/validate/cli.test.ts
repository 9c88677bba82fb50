import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/validate/codes/', import.meta.url));

function run(args: string[], cwd: string) {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
}

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'validate-cli-'));
  mkdirSync(join(root, 'servers/io.github.example/weather'), { recursive: true });
  cpSync(join(fixtures, 'valid.json'), join(root, 'servers/io.github.example/weather/1.0.0.json'));
  cpSync(join(fixtures, 'version__range.json'), join(root, 'range.json'));
  writeFileSync(join(root, 'registry.config.yaml'), 'name: test registry\n');
});

describe('mcp-registry validate', () => {
  it('checks servers/ by default and exits 0 when every file is valid', () => {
    const result = run(['validate'], root);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1 file checked: 1 ok, 0 with errors');
  });

  it('prints compiler-style lines and exits 1 when a file has errors', () => {
    const result = run(['validate', 'range.json'], root);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^range\.json:5:14 error version\/range: '\^1\.0\.0' is a version range/m);
  });

  it('prints the contract JSON with --format json', () => {
    const result = run(['validate', 'range.json', 'servers', '--format', 'json'], root);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; files: { path: string; ok: boolean; diagnostics: Record<string, unknown>[] }[] };
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => [f.path, f.ok])).toEqual([
      ['range.json', false],
      ['servers/io.github.example/weather/1.0.0.json', true],
    ]);
    expect(report.files[0]!.diagnostics[0]).toEqual({
      code: 'version/range',
      severity: 'error',
      message: "'^1.0.0' is a version range; give one exact version, like 1.2.3",
      pointer: '/version',
      line: 5,
      column: 14,
    });
  });

  it('exits 2 for a path that does not exist', () => {
    const result = run(['validate', 'nope.json'], root);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('nope.json: no such file or directory');
  });

  it('exits 2 for an unknown flag or format', () => {
    expect(run(['validate', '--frobnicate'], root).status).toBe(2);
    const bad = run(['validate', '--format', 'xml'], root);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be one of text, json');
  });

  it('has --help naming the formats and the rules doc', () => {
    const result = run(['validate', '--help'], root);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--format text|json');
    expect(result.stdout).toContain('docs/rules.md');
  });
});

describe('mcp-registry validate and registry-owned state', () => {
  let stateRoot: string;

  beforeAll(() => {
    stateRoot = mkdtempSync(join(tmpdir(), 'validate-state-'));
    mkdirSync(join(stateRoot, 'servers/io.github.example/weather'), { recursive: true });
    cpSync(join(fixtures, 'valid.json'), join(stateRoot, 'servers/io.github.example/weather/1.0.0.json'));
    mkdirSync(join(stateRoot, 'registry/status/io.github.example'), { recursive: true });
    writeFileSync(join(stateRoot, 'registry/status/io.github.example/weather.yaml'), 'versions:\n  1.0.0:\n    status: bogus\n');
  });

  it('checks status and overlay files by default, so a bad one fails before the build does', () => {
    const result = run(['validate', '--format', 'json'], stateRoot);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { files: { path: string; ok: boolean }[] };
    expect(report.files.filter((f) => !f.ok).map((f) => f.path)).toEqual(['registry/status/io.github.example/weather.yaml']);
  });

  it('checks only the state files asked for, and only server files when given servers/', () => {
    expect(run(['validate', 'registry/status'], stateRoot).status).toBe(1);
    expect(run(['validate', 'servers'], stateRoot).status).toBe(0);
  });
});
