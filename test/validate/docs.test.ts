import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { renderText } from '../../scripts/validate/render.ts';
import { validateBytes } from '../../scripts/validate/validate-document.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const guide = readFileSync(join(repo, 'docs/publish-your-server.md'), 'utf8');
const path = 'servers/io.github.your-login/weather/1.0.0.json';

function fenced(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

describe('the publishing guide (docs/publish-your-server.md)', () => {
  it('shows a server.json that validates without a diagnostic', () => {
    const [example] = fenced(guide, 'json');
    const result = validateBytes(Buffer.from(example!), path, DEFAULT_CONFIG);
    expect(result.diagnostics).toEqual([]);
  });

  it('shows the output validate really prints for the example with an upper-case package and a range', () => {
    const [example] = fenced(guide, 'json');
    const bad = example!
      .replace('"@your-login/weather-mcp"', '"@Your-Login/weather-mcp"')
      .replace('"version": "1.0.0",\n      "runtimeHint"', '"version": "^1.0.0",\n      "runtimeHint"');
    const result = validateBytes(Buffer.from(bad), path, DEFAULT_CONFIG);
    const printed = renderText({ ok: result.ok, files: [{ path, ok: result.ok, diagnostics: result.diagnostics }] });
    expect(fenced(guide, 'text')).toContain(printed);
  });
});

describe('links between the docs', () => {
  const pages = [
    'README.md',
    ...readdirSync(join(repo, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it.each(pages)('every relative link in %s points at a file that exists', (page) => {
    const text = readFileSync(join(repo, page), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/i.test(t));
    const missing = targets.filter((t) => !existsSync(join(repo, dirname(page), t)));
    expect(missing).toEqual([]);
  });
});
