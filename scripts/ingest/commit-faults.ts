/**
 * Fault injection for the kill tests, from the environment (never set in normal use):
 *   MCP_REGISTRY_FAULT_PAUSE=commit:K   stop before step K of the commit (recover:K: of the recovery),
 *                                       say `fault: paused before commit step K` on stderr and wait,
 *                                       so that a test can SIGKILL the process exactly there;
 *   MCP_REGISTRY_FAULT_PAUSE=trace      say `fault: commit step K` before every step.
 */
import type { CommitHooks } from './commit-files.ts';

export const FAULT_ENV = 'MCP_REGISTRY_FAULT_PAUSE';

export function faultHooks(env: NodeJS.ProcessEnv, stderr: (text: string) => void): CommitHooks {
  const spec = env[FAULT_ENV];
  if (spec === undefined || spec === '') return {};
  if (spec === 'trace') return { beforeStep: (step, phase) => stderr(`fault: ${phase} step ${step}\n`) };
  const match = /^(commit|recover):(\d+)$/.exec(spec);
  if (!match) return {};
  const [, phase, at] = match;
  return {
    beforeStep: async (step, current) => {
      if (current !== phase || step !== Number(at)) return;
      stderr(`fault: paused before ${current} step ${step}\n`);
      // A pending promise alone would let the process exit; the timer keeps it waiting for the kill.
      await new Promise(() => setInterval(() => undefined, 60_000));
    },
  };
}
