/**
 * The one registry of diagnostic codes: every stage's code list (scripts/cli/codes.ts), every code
 * documented with a bad and a good example on its area's page (core/code-docs.ts), and no code in
 * the sources that no list names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_DIAGNOSTIC_CODES, STAGE_CODES } from '../../scripts/cli/codes.ts';
import { CODE_AREAS, codeDocsPage } from '../../scripts/core/code-docs.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pages = new Map<string, string>();
const page = (path: string) => pages.get(path) ?? pages.set(path, readFileSync(join(root, path), 'utf8')).get(path)!;

/** The section under `### code` (with or without backticks), up to the next heading of that level or above. */
function section(text: string, code: string): string | undefined {
  const heading = new RegExp(`^### \`?${code.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\`?[ \\t]*$`, 'm').exec(text);
  if (!heading) return undefined;
  const rest = text.slice(heading.index + heading[0].length);
  const end = rest.search(/^#{1,3} /m);
  return end === -1 ? rest : rest.slice(0, end);
}

/** String literals in scripts/ that look like a code of a known area: `'sync/http'`, not `'application/json'`. */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const literal = new RegExp(`['"\`]((?:${CODE_AREAS.join('|')})/[a-z0-9]+(?:-[a-z0-9]+)*)['"\`]`, 'g');
  for (const file of readdirSync(join(root, 'scripts'), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    for (const m of readFileSync(join(root, 'scripts', file), 'utf8').matchAll(literal)) found.set(m[1]!, `scripts/${file}`);
  }
  return found;
}

/** Literals of a code area that are not codes (paths of registry-owned folders). */
const NOT_CODES = new Set(['registry/status', 'registry/overlays', 'registry/upstream', 'registry/sync', 'registry/renames', 'registry/owners']);

describe('diagnostic codes', () => {
  it('each code belongs to one stage', () => {
    const seen = new Map<string, string>();
    const twice = STAGE_CODES.flatMap(({ stage, codes }) =>
      codes.flatMap((code) => {
        const other = seen.get(code);
        seen.set(code, stage);
        return other === undefined ? [] : [`${code} (${other}, ${stage})`];
      }),
    );
    expect(twice).toEqual([]);
  });

  it('every code is area/kebab-case, in an area with a documentation page', () => {
    expect(ALL_DIAGNOSTIC_CODES.filter((c) => !/^[a-z]+\/[a-z0-9]+(?:-[a-z0-9]+)*$/.test(c) || codeDocsPage(c) === undefined)).toEqual([]);
  });

  it.each(STAGE_CODES.flatMap(({ stage, codes }) => codes.map((code) => [stage, code] as const)))(
    '%s: %s is documented with a bad and a good example',
    (_stage, code) => {
      const where = codeDocsPage(code)!;
      const text = section(page(where), code);
      expect(text, `${where} has no "### \`${code}\`" heading`).toBeDefined();
      expect(text, `${where}, ${code}: no bad example (**Bad** or Bad:)`).toMatch(/\*\*Bad\*\*|\bBad:/);
      expect(text, `${where}, ${code}: no good example (**Good** or Good:)`).toMatch(/\*\*Good\*\*|\bGood:/);
    },
  );

  it('every code the sources spell out is in its stage’s code list', () => {
    const listed = new Set(ALL_DIAGNOSTIC_CODES);
    const unlisted = [...codesInSources()].filter(([code]) => !listed.has(code) && !NOT_CODES.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(unlisted).toEqual([]);
  });
});
