import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_ROOT } from '../../scripts/site/astro-config.ts';
import { importSpecifiers, siteSources, siteStamp } from '../../scripts/site/site-stamp.ts';
import type { StampSources } from '../../scripts/site/site-stamp.ts';

// The page cache's source stamp covers what the Astro build runs: the project's files and what they
// import (transitively), never the rest of scripts/ (a change there must keep every cached page).
let repo = '';
let sources: StampSources;
const put = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};

describe('site source stamp', () => {
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'site-stamp-'));
    put(
      'site/src/pages/index.astro',
      "---\nimport { a } from '../../../scripts/site/a.ts';\nimport { b } from '@registry/site/b.ts';\nimport Doc from '@docs/guide.md';\n---\n<p>{a}{b}</p>\n",
    );
    put('site/public/robots.txt', 'User-agent: *\n');
    put('scripts/site/a.ts', "export { c as a } from '../core/c.ts';\n");
    put('scripts/site/b.ts', "import type { X } from './types.ts';\nexport const b = await import('./lazy.ts');\n");
    put('scripts/site/types.ts', 'export type X = 1;\n');
    put('scripts/site/lazy.ts', 'export default 1;\n');
    put('scripts/core/c.ts', "import { readFileSync } from 'node:fs';\nexport const c = 1;\n");
    put('scripts/site/run-astro.ts', "import './config.ts';\n");
    put('scripts/site/config.ts', 'export const config = 1;\n');
    put('scripts/cli/main.ts', "import '../site/a.ts';\n");
    put('docs/guide.md', '# Guide\n');
    put('docs/other.md', '# Other\n');
    put('package-lock.json', '{}\n');
    sources = {
      repo,
      aliases: { '@registry': join(repo, 'scripts'), '@docs': join(repo, 'docs') },
      entries: [join(repo, 'scripts/site/run-astro.ts')],
      fixed: [join(repo, 'package-lock.json'), join(repo, 'node_modules/astro/package.json')],
    };
  });
  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('names static, dynamic and re-exported imports', () => {
    expect(importSpecifiers("import a from './a.ts';\nexport { b } from \"../b.ts\";\nconst c = await import('./c.ts');\nimport './d.css';")).toEqual([
      './a.ts',
      '../b.ts',
      './c.ts',
      './d.css',
    ]);
  });

  it('covers the project, its transitive imports and the entries, not the rest of scripts/', async () => {
    const names = [...(await siteSources(join(repo, 'site'), sources)).keys()];
    expect(names).toEqual([
      'docs/guide.md',
      'node_modules/astro/package.json',
      'package-lock.json',
      'scripts/core/c.ts',
      'scripts/site/a.ts',
      'scripts/site/b.ts',
      'scripts/site/config.ts',
      'scripts/site/lazy.ts',
      'scripts/site/run-astro.ts',
      'scripts/site/types.ts',
      'site/public/robots.txt',
      'site/src/pages/index.astro',
    ]);
  });

  it('keeps the stamp when a file Astro does not import changes, and changes it when one it imports does', async () => {
    const site = join(repo, 'site');
    const before = await siteStamp(site, sources);
    put('scripts/cli/main.ts', "import '../site/a.ts';\nexport const changed = true;\n");
    put('docs/other.md', '# Other, changed\n');
    expect(await siteStamp(site, sources)).toBe(before);
    let last = before;
    for (const [path, text] of [
      ['scripts/core/c.ts', 'export const c = 2;\n'],
      ['scripts/site/lazy.ts', 'export default 2;\n'],
      ['scripts/site/config.ts', 'export const config = 2;\n'],
      ['docs/guide.md', '# Guide, changed\n'],
      ['site/public/robots.txt', 'User-agent: bot\n'],
      ['package-lock.json', '{"v":2}\n'],
    ] as const) {
      put(path, text);
      const now = await siteStamp(site, sources);
      expect(now, path).not.toBe(last);
      last = now;
    }
  });

  it('on this repository covers the view model the pages import, not the CLI', async () => {
    const names = [...(await siteSources(SITE_ROOT)).keys()];
    expect(names).toContain('scripts/site/site-model.ts');
    expect(names).toContain('scripts/site/astro-config.ts');
    expect(names).toContain('docs/publish-your-server.md');
    expect(names).toContain('package-lock.json');
    expect(names.some((name) => name.startsWith('site/src/pages/'))).toBe(true);
    expect(names).not.toContain('scripts/cli/main.ts');
    expect(names).not.toContain('scripts/site/emit-site.ts');
  });
});
