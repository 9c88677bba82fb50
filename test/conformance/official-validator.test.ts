/**
 * The official registry's validator tests, as facts: each case is a server.json
 * (test/fixtures/conformance/official-validator/<id>.json) and the verdict the official registry gives it
 * (official-validator.verdicts.json). Relaxed (`strictRules: false`) we must agree on every case; with our
 * strict rules we may differ only on the cases docs/rules.md lists as deliberate differences.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { validateBytes } from '../../scripts/validate/validate-document.ts';

interface Verdict {
  official: 'valid' | 'invalid';
  test: string;
  case: string;
}

const fixtures = new URL('../fixtures/conformance/', import.meta.url);
const verdicts = JSON.parse(readFileSync(new URL('official-validator.verdicts.json', fixtures), 'utf8')) as Record<string, Verdict>;
const docs = readFileSync(fileURLToPath(new URL('../../docs/rules.md', import.meta.url)), 'utf8');
const ids = Object.keys(verdicts);

function ourVerdict(id: string, strictRules: boolean): { verdict: 'valid' | 'invalid'; errors: string[] } {
  const path = fileURLToPath(new URL(`official-validator/${id}.json`, fixtures));
  const result = validateBytes(readFileSync(path), path, { ...DEFAULT_CONFIG, strictRules });
  return { verdict: result.ok ? 'valid' : 'invalid', errors: result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code) };
}

/** The ids docs/rules.md lists under "Deliberate differences", as `- \`id\` — why`. */
function documentedDifferences(): string[] {
  const start = docs.indexOf('### Deliberate differences');
  expect(start, 'docs/rules.md has no "### Deliberate differences" section').toBeGreaterThan(-1);
  const end = docs.indexOf('\n#', start + 1);
  return [...docs.slice(start, end === -1 ? undefined : end).matchAll(/^- `([a-z0-9-]+)`/gm)].map((m) => m[1]!);
}

describe('agreement with the official validator on its own tests’ cases', () => {
  it.each(ids)('%s: relaxed, we give the official verdict', (id) => {
    const ours = ourVerdict(id, false);
    expect(ours.verdict, `${verdicts[id]!.test}: ${verdicts[id]!.case} (our errors: ${ours.errors.join(', ') || 'none'})`).toBe(verdicts[id]!.official);
  });

  it('with our strict rules, we differ exactly on the documented cases, each only by a strict rule', () => {
    const differing = ids.filter((id) => ourVerdict(id, true).verdict !== verdicts[id]!.official);
    expect(differing.sort()).toEqual(documentedDifferences().sort());
    // A strict rule only ever refuses more: every difference is a case the official registry accepts.
    expect(differing.filter((id) => verdicts[id]!.official !== 'valid')).toEqual([]);
  });

  it('docs/rules.md reports the agreement count this suite measures', () => {
    const agreeing = ids.length - documentedDifferences().length;
    expect(docs).toContain(`${ids.length} of ${ids.length} cases with \`strictRules: false\``);
    expect(docs).toContain(`${agreeing} of ${ids.length} with the default strict rules`);
  });
});
