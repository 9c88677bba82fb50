/**
 * Keeps docs/architecture.md true: the stages it lists are the folders of scripts/, and every
 * import between them goes down the stage order it gives. A new folder, an upward import or a
 * cycle fails here, with the files that do it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const scripts = join(root, 'scripts');
const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');

/** The ```stages block of the doc: `tier  folder  folder …`, lowest tier first. */
function stageTiers(): Map<string, number> {
  const block = /```stages\n([\s\S]*?)```/.exec(doc)?.[1];
  if (block === undefined) throw new Error('docs/architecture.md has no ```stages block');
  const tiers = new Map<string, number>();
  for (const line of block.split('\n')) {
    const words = line.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (words.length < 2) continue;
    const tier = Number(words[0]);
    for (const folder of words.slice(1)) tiers.set(folder, tier);
  }
  return tiers;
}

/** The ```forbidden block: `from -> to` pairs that no tier order may ever allow (a package or node: module as `to`). */
function forbidden(): [string, string][] {
  const block = /```forbidden\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((l) => l.split(/\s*->\s*/) as [string, string]);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

interface ImportEdge {
  file: string;
  from: string;
  to: string;
}

/** Every import of every file below scripts/: another stage's folder, a package, or a node: module. */
function imports(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(scripts)) {
    const from = relative(scripts, file).split('/')[0] as string;
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: spec } of info.importedFiles) {
      let to: string;
      if (spec.startsWith('.')) to = relative(scripts, resolve(dirname(file), spec)).split('/')[0] as string;
      else if (spec.startsWith('node:')) to = spec.split('/')[0] as string;
      else to = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string);
      if (to !== from) edges.push({ file: relative(root, file), from, to });
    }
  }
  return edges;
}

describe('docs/architecture.md', () => {
  const tiers = stageTiers();
  const edges = imports();

  it('lists every folder of scripts/ as a stage, and no folder that is not there', () => {
    const folders = readdirSync(scripts).filter((f) => statSync(join(scripts, f)).isDirectory());
    expect(folders.sort()).toEqual([...tiers.keys()].sort());
  });

  it('every import between stages goes to a lower tier (so there are no cycles)', () => {
    const tierOf = (stage: string) => tiers.get(stage);
    const upward = edges
      .filter((e) => tierOf(e.to) !== undefined && tierOf(e.from) !== undefined)
      .filter((e) => (tierOf(e.to) as number) >= (tierOf(e.from) as number))
      .map((e) => `${e.file}: ${e.from} (tier ${tierOf(e.from)}) imports ${e.to} (tier ${tierOf(e.to)})`);
    expect(upward).toEqual([]);
  });

  it('no stage imports what the forbidden list names', () => {
    const rules = forbidden();
    expect(rules.length).toBeGreaterThan(0);
    const broken = edges
      .filter((e) => rules.some(([from, to]) => e.from === from && (e.to === to || e.to.startsWith(`${to}/`))))
      .map((e) => `${e.file}: ${e.from} -> ${e.to}`);
    expect(broken).toEqual([]);
  });
});
