import { describe, expect, it } from 'vitest';
import { renderPhases, timePhase, timePhaseSync } from '../../scripts/core/phase-timer.ts';

describe('phase timer', () => {
  it('reports each phase once, also when it throws, and nothing without a sink', async () => {
    const seen: [string, number][] = [];
    const sink = (phase: string, ms: number) => void seen.push([phase, ms]);
    expect(await timePhase(sink, 'wait', () => new Promise((done) => setTimeout(() => done(7), 30)))).toBe(7);
    expect(timePhaseSync(sink, 'sum', () => 1 + 1)).toBe(2);
    expect(() =>
      timePhaseSync(sink, 'fails', () => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(seen.map(([phase]) => phase)).toEqual(['wait', 'sum', 'fails']);
    expect(seen[0]?.[1]).toBeGreaterThanOrEqual(25);
    expect(await timePhase(undefined, 'none', async () => 'x')).toBe('x');
    expect(
      renderPhases([
        ['validate', 1234],
        ['emit site', 56],
      ]),
    ).toBe('  validate   1.23 s\n  emit site  0.06 s');
  });
});
