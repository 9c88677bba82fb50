import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ruleAnchor, ruleLink } from '../../scripts/github/pr-comment.ts';
import { PUBLISH_CODES } from '../../scripts/author/codes.ts';
import { CATALOG_CODES } from '../../scripts/catalog/codes.ts';
import { PR_CHECK_CODES } from '../../scripts/github/codes.ts';
import { LIFECYCLE_CODES } from '../../scripts/lifecycle/codes.ts';
import { STATE_CODES } from '../../scripts/state/codes.ts';
import { VERIFY_CODES } from '../../scripts/verify/codes.ts';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

describe('links from the PR comment to the code documentation', () => {
  it('links from the comment land on those headings (GitHub anchors)', () => {
    expect(ruleAnchor('immutability/mode-changed')).toBe('immutabilitymode-changed');
  });

  it.each(VERIFY_CODES.map((c) => `verify/${c}`))('links %s to its heading in docs/verification.md', (code) => {
    const link = ruleLink(code, { docsBase: 'https://example.test/blob/main' });
    expect(link).toBe(`https://example.test/blob/main/docs/verification.md#${ruleAnchor(code)}`);
    const headings = [...read('docs/verification.md').matchAll(/^### `?([^`\n]+)`?$/gm)].map((m) => ruleAnchor(m[1]!));
    expect(headings).toContain(ruleAnchor(code));
  });

  // publish/ codes went to docs/rules.md, which has no heading for them.
  it.each([...PUBLISH_CODES, ...PR_CHECK_CODES, ...LIFECYCLE_CODES, ...STATE_CODES, ...CATALOG_CODES])('links %s to the page that documents it', (code) => {
    const link = ruleLink(code, { docsBase: 'https://example.test/blob/main' });
    const page = /^https:\/\/example\.test\/blob\/main\/(docs\/[a-z-]+\.md)#/.exec(link)?.[1];
    expect(page).toBeDefined();
    const headings = [...read(page!).matchAll(/^### `?([^`\n]+)`?$/gm)].map((m) => ruleAnchor(m[1]!));
    expect(headings).toContain(ruleAnchor(code));
  });
});

describe('issue templates', () => {
  const dir = '.github/ISSUE_TEMPLATE';
  const forms = readdirSync(new URL(dir, root)).filter((f) => f.endsWith('.yml') && f !== 'config.yml');

  it('offer a new server, takedown and appeal form', () => {
    expect(forms.sort()).toEqual(['appeal.yml', 'new-server.yml', 'takedown.yml']);
  });

  it.each(forms)('%s is a valid issue form with unique field ids', (file) => {
    const form = parse(read(`${dir}/${file}`));
    expect(typeof form.name).toBe('string');
    expect(typeof form.description).toBe('string');
    expect(Array.isArray(form.body)).toBe(true);
    const ids = form.body.filter((b: { id?: string }) => b.id).map((b: { id: string }) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const field of form.body) expect(['markdown', 'input', 'textarea', 'dropdown', 'checkboxes']).toContain(field.type);
  });
});
