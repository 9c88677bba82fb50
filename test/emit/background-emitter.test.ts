import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import type { Emitter } from '../../scripts/emit/emitter.ts';
import { fixtureRoot, sortedPathDates } from '../fixtures/api/build-fixture.ts';

/** An emitter whose work ends when `release` is called, writing `file` then. */
function slow(name: string, file: string, events: string[]) {
  let release = () => {};
  const emitter: Emitter = {
    name,
    emit(_context, out) {
      events.push(`${name} started`);
      const background = new Promise<undefined>((done) => {
        release = () => {
          out.write(file, `${name}\n`);
          events.push(`${name} done`);
          done(undefined);
        };
      });
      return { background };
    },
  };
  return { emitter, release: () => release() };
}

function step(name: string, events: string[], run: () => void = () => {}): Emitter {
  return {
    name,
    emit(_context, out) {
      events.push(name);
      run();
      out.write(`${name}.txt`, name);
    },
  };
}

describe('an emitter working in the background', () => {
  it('lets the emitters after it run meanwhile; one that joins waits for it; the swap waits for all', async () => {
    const root = fixtureRoot();
    const events: string[] = [];
    const site = slow('site', 'site.txt', events);
    const joins: Emitter = { ...step('renames', events), joins: true };
    const emitters = [step('api', events), site.emitter, step('log', events, () => setTimeout(site.release, 20)), joins];
    const result = await buildRegistry({ root, config: structuredClone(DEFAULT_CONFIG), dates: sortedPathDates, emitters, out: join(root, 'dist') });
    expect(result.report.ok).toBe(true);
    expect(events).toEqual(['api', 'site started', 'log', 'site done', 'renames']);
    expect(
      readdirSync(join(root, 'dist'))
        .filter((f) => f.endsWith('.txt'))
        .sort(),
    ).toEqual(['api.txt', 'log.txt', 'renames.txt', 'site.txt']);
  });

  it('a failure after it waits for its work before the tree is removed; its own failure fails the build', async () => {
    const root = fixtureRoot();
    const events: string[] = [];
    const site = slow('site', 'site.txt', events);
    const failing = step('log', events, () => {
      setTimeout(site.release, 20);
      throw new Error('log failed');
    });
    await expect(
      buildRegistry({ root, config: structuredClone(DEFAULT_CONFIG), dates: sortedPathDates, emitters: [site.emitter, failing], out: join(root, 'dist') }),
    ).rejects.toThrow('log failed');
    expect(events).toEqual(['site started', 'log', 'site done']);
    expect(existsSync(join(root, 'dist'))).toBe(false);

    const broken: Emitter = { name: 'site', emit: () => ({ background: Promise.reject(new Error('astro failed')) }) };
    await expect(
      buildRegistry({ root, config: structuredClone(DEFAULT_CONFIG), dates: sortedPathDates, emitters: [broken, step('api', [])], out: join(root, 'dist') }),
    ).rejects.toThrow('astro failed');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
