import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { validateTree } from '../../scripts/validate/validate-tree.ts';
import { VerdictCache, verdictStamp } from '../../scripts/validate/verdict-cache.ts';
import { serverDoc, tempDir } from '../fixtures/api/build-fixture.ts';

const PATH = 'servers/io.github.gen/tool/1.0.0.json';

function write(root: string, doc: Record<string, unknown>): void {
  mkdirSync(join(root, PATH, '..'), { recursive: true });
  writeFileSync(join(root, PATH), `${JSON.stringify(doc, null, 2)}\n`);
}

/** A cache carried to the next run as its text, the way the build keeps it in .cache/. */
function nextRun(cache: VerdictCache, config = DEFAULT_CONFIG): VerdictCache {
  return VerdictCache.parse(cache.render(), verdictStamp(config));
}

describe('validation verdict cache', () => {
  it('reuses the verdict of a file whose bytes have not changed', async () => {
    const root = tempDir('verdicts-hit');
    write(root, serverDoc('io.github.gen/tool', '1.0.0', 'A tool'));
    const first = new VerdictCache(verdictStamp(DEFAULT_CONFIG));
    const cold = await validateTree(root, DEFAULT_CONFIG, undefined, first);
    const second = nextRun(first);
    const warm = await validateTree(root, DEFAULT_CONFIG, undefined, second);
    expect(second.hits).toBe(1);
    expect(warm.report).toEqual(cold.report);
    expect(warm.entries).toEqual(cold.entries);
  });

  it('validates a file again when its bytes changed, so an earlier pass cannot hide a new error', async () => {
    const root = tempDir('verdicts-changed');
    write(root, serverDoc('io.github.gen/tool', '1.0.0', 'A tool'));
    const first = new VerdictCache(verdictStamp(DEFAULT_CONFIG));
    expect((await validateTree(root, DEFAULT_CONFIG, undefined, first)).report.ok).toBe(true);
    // Same path, same length class, now naming another server than its folder.
    write(root, serverDoc('io.github.gen/other', '1.0.0', 'A tool'));
    const second = nextRun(first);
    const result = await validateTree(root, DEFAULT_CONFIG, undefined, second);
    expect(second.hits).toBe(0);
    expect(result.report.ok).toBe(false);
  });

  it('starts empty when the config (or the validator) differs from the one the verdicts were made under', async () => {
    const root = tempDir('verdicts-config');
    write(root, serverDoc('io.github.gen/tool', '1.0.0', 'A tool'));
    const first = new VerdictCache(verdictStamp(DEFAULT_CONFIG));
    await validateTree(root, DEFAULT_CONFIG, undefined, first);
    const blocked = { ...DEFAULT_CONFIG, blockedNamespaces: ['io.github.gen'] };
    const second = nextRun(first, blocked);
    const result = await validateTree(root, blocked, undefined, second);
    expect(second.hits).toBe(0);
    expect(result.report.ok).toBe(false);
  });
});
