import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOverlayState } from '../../scripts/state/state-files.ts';
import { compileOverlaySchema, loadOverlaySchema, validateOverlay } from '../../scripts/policy/overlay-schema.ts';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rating: { type: 'number', minimum: 0, maximum: 5 },
    categories: { type: 'array', items: { type: 'string' } },
    verified: { type: 'boolean' },
  },
};

function compiled() {
  const result = compileOverlaySchema(schema);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('overlay schema', () => {
  it('accepts an overlay whose meta and per-version additions match the schema', () => {
    expect(validateOverlay({ meta: { rating: 4.5, categories: ['files'] }, versions: { '1.0.0': { verified: true } } }, compiled())).toEqual([]);
  });

  it('points at the field that breaks the schema', () => {
    const diagnostics = validateOverlay({ meta: { rating: 9 } }, compiled());
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([['overlay/schema', '/meta/rating']]);
  });

  it('gives the line and column of the offending value in the overlay file', () => {
    const { diagnostics } = parseOverlayState('meta:\n  verified: true\n  rating: 9\n', compiled());
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['overlay/schema', 3, 11]]);
  });

  it('checks each version merged over meta', () => {
    const diagnostics = validateOverlay({ meta: { rating: 3 }, versions: { '2.0.0': { colour: 'red' } } }, compiled());
    expect(diagnostics.map((d) => d.pointer)).toEqual(['/versions/2.0.0']);
  });

  it('names a property the schema does not allow', () => {
    const [d] = validateOverlay({ versions: { '2.0.0': { colour: 'red' } } }, compiled());
    expect(d?.message).toMatch(/'colour' is not a property the fork's overlay schema allows/);
  });

  it('reports a bad meta value once, not again under every version', () => {
    const diagnostics = validateOverlay({ meta: { rating: 9 }, versions: { '1.0.0': { verified: 'yes' }, '2.0.0': {} } }, compiled());
    expect(diagnostics.map((d) => d.pointer)).toEqual(['/meta/rating', '/versions/1.0.0/verified']);
  });

  it('reports overlay files of the wrong shape even without a schema', () => {
    expect(validateOverlay({ meta: [], other: 1 }, undefined).map((d) => d.pointer)).toEqual(['/other', '/meta']);
  });

  it('reports a schema that does not compile', () => {
    const result = compileOverlaySchema({ type: 'no-such-type' });
    expect(result.ok).toBe(false);
  });

  it('loads the schema the config names and refuses a path outside the repository', async () => {
    const root = mkdtempSync(join(tmpdir(), 'overlay-'));
    try {
      writeFileSync(join(root, 'overlay.schema.json'), JSON.stringify(schema));
      const validate = await loadOverlaySchema(root, { overlays: { schema: 'overlay.schema.json' } });
      expect(validate?.({ rating: 1 })).toBe(true);
      expect(await loadOverlaySchema(root, {})).toBeUndefined();
      await expect(loadOverlaySchema(root, { overlays: { schema: '../x.json' } })).rejects.toThrow(/inside the repository/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
