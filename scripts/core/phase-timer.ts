/**
 * Wall time of a build's phases, for `mcp-registry build --timings` and the benchmarks: a stage
 * hands its phases to a sink, which the caller may leave out (then nothing is measured).
 */
export type PhaseSink = (phase: string, milliseconds: number) => void;

/** Runs `work` and reports its wall time to `sink` as `phase` (also when it throws). */
export async function timePhase<T>(sink: PhaseSink | undefined, phase: string, work: () => T | Promise<T>): Promise<T> {
  if (sink === undefined) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    sink(phase, performance.now() - started);
  }
}

/** The synchronous form of timePhase. */
export function timePhaseSync<T>(sink: PhaseSink | undefined, phase: string, work: () => T): T {
  if (sink === undefined) return work();
  const started = performance.now();
  try {
    return work();
  } finally {
    sink(phase, performance.now() - started);
  }
}

/** One line per phase, in the order they ended, with seconds to two places. */
export function renderPhases(phases: readonly (readonly [string, number])[]): string {
  const width = Math.max(0, ...phases.map(([name]) => name.length));
  return phases.map(([name, ms]) => `  ${name.padEnd(width)}  ${(ms / 1000).toFixed(2)} s`).join('\n');
}
