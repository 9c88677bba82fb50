import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { RegistryConfig } from '../../scripts/config/registry-config.ts';
import { ALL_CODES } from '../../scripts/validate/codes.ts';
import { validateBytes } from '../../scripts/validate/validate-document.ts';
import { validateTree } from '../../scripts/validate/validate-tree.ts';

const fixtures = fileURLToPath(new URL('../fixtures/validate/', import.meta.url));

/** Codes whose inputs the tests make on the fly (a symlink, a directory, megabytes), with where. */
const MADE_IN_TESTS: Record<string, string> = {
  'file/symlink': 'validate-bad-input.test.ts',
  'file/read-error': 'validate-bad-input.test.ts',
  'file/too-large': 'validate-bad-input.test.ts',
  'schema/invalid': 'fallback for schema keywords our schema does not use; never reachable from a fixture',
};

const fileName = (code: string) => code.replace('/', '__');

/** The fixtures run under a config that blocks one namespace, so name/blocked-namespace has a fixture too. */
const config: RegistryConfig = { ...DEFAULT_CONFIG, blockedNamespaces: ['com.blocked'] };

function codesOfFixture(code: string): Promise<string[]> | string[] {
  if (code.startsWith('registry/')) {
    return validateTree(`${fixtures}registry/${fileName(code)}`, config).then(({ report }) => report.files.flatMap((f) => f.diagnostics.map((d) => d.code)));
  }
  const path = `${fixtures}codes/${fileName(code)}.json`;
  return validateBytes(readFileSync(path), path, config).diagnostics.map((d) => d.code);
}

describe('every diagnostic code', () => {
  it('has no duplicates in the code list', () => {
    expect(new Set(ALL_CODES).size).toBe(ALL_CODES.length);
  });

  it.each(ALL_CODES.filter((c) => !(c in MADE_IN_TESTS)))('%s has a fixture that reports it', async (code) => {
    const fixture = code.startsWith('registry/') ? `${fixtures}registry/${fileName(code)}` : `${fixtures}codes/${fileName(code)}.json`;
    expect(existsSync(fixture), `missing fixture ${fixture}`).toBe(true);
    expect(await codesOfFixture(code)).toContain(code);
  });

  it('has no fixture left over for a code that no longer exists', () => {
    const known = new Set([...ALL_CODES.map(fileName), 'valid']);
    const files = readdirSync(`${fixtures}codes`).map((f) => f.replace(/\.json$/, ''));
    const dirs = readdirSync(`${fixtures}registry`);
    expect([...files, ...dirs].filter((f) => !known.has(f))).toEqual([]);
  });

  it('the valid fixture has no diagnostics at all', () => {
    const path = `${fixtures}codes/valid.json`;
    expect(validateBytes(readFileSync(path), path, config).diagnostics).toEqual([]);
  });
});
