/** The approved list and the views section, as parsed (pure). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { approvalOf, parseApprovals } from '../../scripts/views/approvals.ts';
import { parseViews } from '../../scripts/views/views.ts';

describe('parseApprovals', () => {
  it('reads records, canonical times and names compared case-insensitively', () => {
    const { approvals, diagnostics } = parseApprovals(
      'IO.github.Acme/Weather:\n  - versions: ["1.0.0", "1.0.0"]\n    by: alice\n    at: 2026-11-30T11:00:00+01:00\n    note: SEC-1\n',
    );
    expect(diagnostics).toEqual([]);
    expect([...approvals]).toEqual([['io.github.acme/weather', [{ versions: ['1.0.0'], by: 'alice', at: '2026-11-30T10:00:00.000Z', note: 'SEC-1' }]]]);
  });

  it('reads an absent or empty file as no approvals', () => {
    expect(parseApprovals(undefined)).toEqual({ approvals: new Map(), diagnostics: [] });
    expect(parseApprovals('')).toEqual({ approvals: new Map(), diagnostics: [] });
  });

  it.each([
    ['io.github.a/b: {approved: yes}\n', '/io.github.a~1b'],
    ['io.github.a/b:\n  - versions: []\n    by: alice\n    at: "2026-11-30T10:00:00Z"\n', '/io.github.a~1b/0/versions'],
    ['io.github.a/b:\n  - versions: ["1"]\n    by: alice\n    at: "2026-11-30T10:00:00Z"\n    approved: true\n', '/io.github.a~1b/0/approved'],
    ['not-a-name:\n  - versions: ["1"]\n    by: alice\n    at: "2026-11-30T10:00:00Z"\n', '/not-a-name'],
    ['io.github.a/b: []\nIO.GITHUB.A/B: []\n', '/IO.GITHUB.A~1B'],
  ])('refuses %j at %s, approving nothing', (text, pointer) => {
    const parsed = parseApprovals(text);
    expect(parsed.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['approval/shape', pointer]]);
    expect(parsed.approvals.size).toBe(0);
  });

  it('reports bad YAML with its line', () => {
    expect(parseApprovals('a: [\n').diagnostics[0]).toMatchObject({ code: 'approval/yaml', line: 2 });
  });

  it('lets a record naming the version win over "*", and the latest of several', () => {
    const { approvals } = parseApprovals(
      [
        'io.github.a/b:',
        '  - {versions: ["*"], by: carol, at: "2026-12-05T00:00:00Z"}',
        '  - {versions: ["1.0.0"], by: alice, at: "2026-11-01T00:00:00Z"}',
        '  - {versions: ["1.0.0"], by: bob, at: "2026-11-02T00:00:00Z"}',
      ].join('\n'),
    );
    expect(approvalOf(approvals, 'io.github.a/b', '1.0.0')?.by).toBe('bob');
    expect(approvalOf(approvals, 'IO.github.a/B', '2.0.0')?.by).toBe('carol');
    expect(approvalOf(approvals, 'io.github.a/c', '1.0.0')).toBeUndefined();
  });
});

describe('parseViews', () => {
  it('reads names, titles, approved and policies', () => {
    const views = parseViews([
      { name: 'production', title: 'Prod', approved: true },
      { name: 'oci', policy: { allow: { registryTypes: ['OCI'] } } },
    ]);
    expect(views).toEqual({
      ok: true,
      value: [
        { name: 'production', title: 'Prod', approved: true, policy: { allow: {}, deny: {} } },
        { name: 'oci', title: 'oci', approved: false, policy: { allow: { registryTypes: ['oci'] }, deny: {} } },
      ],
    });
  });

  it('says what is wrong with each view', () => {
    const views = parseViews([{ name: 'Prod' }, { name: 'a', approved: 'yes', colour: 1 }, { name: 'a', policy: { allow: { nope: [] } } }]);
    expect(views.ok ? [] : views.error).toEqual([
      "views[0].name must be lower-case letters, digits and '-' (it is the view's path: /views/<name>/)",
      'views[1].colour is unknown; expected one of name, title, approved, policy',
      'views[1].approved must be true or false',
      "views[2].name 'a' is used by another view",
      'views[2].policy.allow.nope is not a policy list; expected one of namespaces, names, registryTypes, statuses',
    ]);
  });
});

describe('mcp-registry validate', () => {
  it('checks the approved list with the other registry-owned files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mcp-registry-approved-'));
    mkdirSync(join(root, 'registry'), { recursive: true });
    writeFileSync(join(root, 'registry/approved.yaml'), 'io.github.a/b:\n  - versions: ["1.0.0"]\n    by: alice\n    at: yesterday\n');
    let out = '';
    const run = (args: string[]) => main(['validate', '--format', 'json', ...args], { stdout: (t) => (out += t), stderr: () => {}, cwd: root, env: {} });
    expect(await run(['registry/approved.yaml'])).toBe(1);
    const result = JSON.parse(out) as { files: { path: string; diagnostics: { code: string; line: number }[] }[] };
    expect(result.files.map((f) => [f.path, f.diagnostics.map((d) => [d.code, d.line])])).toEqual([['registry/approved.yaml', [['approval/shape', 4]]]]);
    out = '';
    writeFileSync(join(root, 'registry/approved.yaml'), 'io.github.a/b:\n  - versions: ["1.0.0"]\n    by: alice\n    at: "2026-11-30T10:00:00Z"\n');
    expect(await run(['registry'])).toBe(0);
    rmSync(root, { recursive: true, force: true });
  });
});
