import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { FileReport } from '../../scripts/core/diagnostics.ts';
import { validateBytes } from '../../scripts/validate/validate-document.ts';
import { validateTree } from '../../scripts/validate/validate-tree.ts';

const valid = readFileSync(fileURLToPath(new URL('../fixtures/validate/codes/valid.json', import.meta.url)));
const validDoc = JSON.parse(valid.toString('utf8')) as Record<string, unknown>;
const at = (name: string, version: string) => `servers/io.github.example/${name}/${version}.json`;

/** Each bad input lives in its own server folder beside one good file; all are checked in one run. */
const badInputs: Record<string, Buffer | string> = {
  'not-json': 'this is not JSON',
  'trailing-garbage': `${JSON.stringify({ ...validDoc, name: 'io.github.example/trailing-garbage' })} trailing`,
  bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ ...validDoc, name: 'io.github.example/bom' }))]),
  empty: '',
  'ten-megabytes': JSON.stringify({ ...validDoc, name: 'io.github.example/ten-megabytes', description: 'x'.repeat(10 * 1024 * 1024) }),
  'deep-nesting': '['.repeat(10_000) + ']'.repeat(10_000),
  'proto-keys': `{"$schema": "${String(validDoc.$schema)}", "name": "io.github.example/proto-keys", "description": "d", "version": "1.0.0", "__proto__": {"polluted": true}, "repository": {"constructor": {"prototype": 1}, "url": "https://github.com/a/b", "source": "github"}}`,
  'non-utf8': Buffer.concat([Buffer.from('{"name": "io.github.example/non-utf8", "description": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]),
  'look-alike': JSON.stringify({ ...validDoc, name: 'io.github.exаmple/look-alike' }),
  'path-traversal-version': JSON.stringify({ ...validDoc, name: 'io.github.example/path-traversal-version', version: '../../etc' }),
};

const expected: Record<string, { code: string; line?: number; column?: number }> = {
  'not-json': { code: 'json/syntax', line: 1, column: 1 },
  'trailing-garbage': { code: 'json/trailing-content' },
  bom: { code: 'encoding/bom', line: 1, column: 1 },
  empty: { code: 'file/empty' },
  'ten-megabytes': { code: 'file/too-large' },
  'deep-nesting': { code: 'json/too-deep', line: 1, column: 65 },
  'proto-keys': { code: 'json/forbidden-key' },
  'non-utf8': { code: 'encoding/invalid-utf8', line: 1, column: 59 },
  'look-alike': { code: 'name/non-ascii' },
  'path-traversal-version': { code: 'version/unsafe-filename' },
};

let root: string;
let files: Map<string, FileReport>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'validate-bad-'));
  for (const [name, content] of Object.entries(badInputs)) {
    mkdirSync(join(root, 'servers/io.github.example', name), { recursive: true });
    writeFileSync(join(root, at(name, '1.0.0')), content);
  }
  mkdirSync(join(root, 'servers/io.github.example/weather'), { recursive: true });
  writeFileSync(join(root, at('weather', '1.0.0')), valid);
  writeFileSync(join(root, 'outside-secret.json'), valid);
  mkdirSync(join(root, 'servers/io.github.example/linked'), { recursive: true });
  symlinkSync(join(root, 'outside-secret.json'), join(root, at('linked', '1.0.0')));
  mkdirSync(join(root, 'servers/io.github.example/server.json'), { recursive: true });
  writeFileSync(join(root, 'servers/io.github.example/server.json/1.0.0.json'), JSON.stringify({ ...validDoc, name: 'io.github.example/server.json' }));
  mkdirSync(join(root, 'elsewhere/server'), { recursive: true });
  writeFileSync(join(root, 'elsewhere/server/1.0.0.json'), valid);
  symlinkSync(join(root, 'elsewhere'), join(root, 'servers/io.github.linked-folder'));
  mkdirSync(join(root, 'servers/io.github.example/pipe'), { recursive: true });
  execFileSync('mkfifo', [join(root, at('pipe', '1.0.0'))]);
  const { report } = await validateTree(root, DEFAULT_CONFIG);
  files = new Map(report.files.map((f) => [f.path, f]));
});

describe('bad input', () => {
  it.each(Object.keys(expected))('%s gives a clear diagnostic with a position', (name) => {
    const file = files.get(at(name, '1.0.0'));
    expect(file, `no report for ${name}`).toBeDefined();
    expect(file!.ok).toBe(false);
    const want = expected[name]!;
    const diagnostic = file!.diagnostics.find((d) => d.code === want.code);
    expect(diagnostic, JSON.stringify(file!.diagnostics)).toBeDefined();
    expect(diagnostic!.message.length).toBeGreaterThan(20);
    expect(diagnostic!.line).toBeGreaterThan(0);
    if (want.line !== undefined) expect(diagnostic!.line).toBe(want.line);
    if (want.column !== undefined) expect(diagnostic!.column).toBe(want.column);
  });

  it('checks the good file beside the bad ones', () => {
    expect(files.get(at('weather', '1.0.0'))).toEqual({ path: at('weather', '1.0.0'), ok: true, diagnostics: [] });
  });

  it('refuses a symlink that points outside servers/ without reading its target', () => {
    const file = files.get(at('linked', '1.0.0'))!;
    expect(file.diagnostics.map((d) => d.code)).toEqual(['file/symlink']);
    expect(file.diagnostics[0]!.message).toContain('outside-secret.json');
  });

  it('refuses a symlinked folder and does not descend into it', () => {
    expect(files.get('servers/io.github.linked-folder')!.diagnostics.map((d) => d.code)).toEqual(['file/symlink']);
    expect([...files.keys()].filter((p) => p.includes('linked-folder/'))).toEqual([]);
  });

  it('reports a named pipe instead of blocking on it', () => {
    expect(files.get(at('pipe', '1.0.0'))!.diagnostics.map((d) => d.code)).toEqual(['file/read-error']);
  });

  it('treats a server folder whose name ends in .json as a folder, not a version file', () => {
    expect(files.get('servers/io.github.example/server.json')).toBeUndefined();
    expect(files.get('servers/io.github.example/server.json/1.0.0.json')!.ok).toBe(true);
  });

  it('does not advise moving a file to a path built from a version like ../../etc', () => {
    const codes = files.get(at('path-traversal-version', '1.0.0'))!.diagnostics.map((d) => d.code);
    expect(codes).toEqual(['version/unsafe-filename']);
  });

  it('names the look-alike character and its code point', () => {
    const d = files.get(at('look-alike', '1.0.0'))!.diagnostics.find((x) => x.code === 'name/non-ascii')!;
    expect(d.message).toContain('U+0430');
    expect(d.message).toContain("looks like 'a'");
  });

  it('points at the forbidden keys by JSON pointer', () => {
    const pointers = files
      .get(at('proto-keys', '1.0.0'))!
      .diagnostics.filter((d) => d.code === 'json/forbidden-key')
      .map((d) => d.pointer);
    expect(pointers).toEqual(['/__proto__', '/repository/constructor', '/repository/constructor/prototype']);
  });

  it('reports __proto__ and constructor keys only as forbidden, never as legacy spellings', () => {
    const codes = files.get(at('proto-keys', '1.0.0'))!.diagnostics.map((d) => d.code);
    expect(codes).not.toContain('schema/legacy-field');
  });

  it('does not let __proto__ reach the prototype of the parsed value', async () => {
    const { entries } = await validateTree(root, DEFAULT_CONFIG);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(entries.map((e) => e.path)).toEqual([at('server.json', '1.0.0'), at('weather', '1.0.0')]);
  });
});

describe('values named like members of Object.prototype', () => {
  it.each(['constructor', '__proto__', 'toString'])("registryType '%s' is an unknown type, not a crash", (registryType) => {
    const pkg = { registryType, identifier: 'abc', version: '1.0.0', transport: { type: 'stdio' } };
    const bytes = Buffer.from(JSON.stringify({ ...validDoc, packages: [pkg] }));
    const codes = validateBytes(bytes, 'server.json', DEFAULT_CONFIG).diagnostics.map((d) => d.code);
    expect(codes).toEqual(['package/unknown-type']);
  });
});
