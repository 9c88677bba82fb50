import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateServers, learnTextModel } from '../../bench/lib/text-model.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';

const live = JSON.parse(readFileSync(new URL('../fixtures/site/live-search-2025-10-10.json', import.meta.url), 'utf8')) as ServerResponse[];
const model = learnTextModel(live);

describe('text model of real registry data (bench)', () => {
  it('learns one template per server and how many servers use each word', () => {
    expect(model.templates.length).toBe(new Set(live.map((r) => r.server.name)).size);
    // "mcp" is in most real servers' texts; a word only one server uses counts once.
    expect(model.serversWith.get('mcp') ?? 0).toBeGreaterThan(model.templates.length / 3);
    expect([...model.serversWith.values()].some((n) => n === 1)).toBe(true);
  });

  it('generates unique names, the same for the same seed, keeping frequent words and rewriting rare ones', () => {
    const a = generateServers(model, 500, {});
    expect(JSON.stringify(generateServers(model, 500, {}))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generateServers(model, 500, { seed: 14 }))).not.toBe(JSON.stringify(a));
    expect(new Set(a.map((r) => r.server.name)).size).toBe(500);
    const words = (r: ServerResponse) => `${r.server.name} ${r.server.description ?? ''}`.toLowerCase().split(/[^\p{L}\p{N}]+/u);
    const generated = new Set(a.flatMap(words));
    expect(generated.has('mcp')).toBe(true);
    // Words no real server has: rare words were replaced by new ones.
    expect([...generated].filter((w) => w !== '' && !model.serversWith.has(w)).length).toBeGreaterThan(100);
    // A word rewritten in a server's name is rewritten the same way in its description.
    const own = a.filter((r) => r.server.description?.includes(r.server.name.slice(r.server.name.indexOf('/') + 1)));
    expect(own.length).toBeGreaterThan(0);
    expect(
      a.every((r) => r.server.name.includes('/') && (r._meta['io.modelcontextprotocol.registry/official'] as { isLatest?: boolean }).isLatest === true),
    ).toBe(true);
  });
});
