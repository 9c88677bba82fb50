/**
 * What this process must undo if it ends early: its temporaries, a helper's process group.
 * Each clean-up is registered while it is needed; the process's `exit` runs what is still
 * registered, and `undoOnSignals` turns SIGINT and SIGTERM into the same clean-up before the
 * signal takes its course. SIGKILL runs nothing: that is what the stale-temporary sweep
 * (files/temporaries.ts) and a helper's parent watch (process-group.ts) are for.
 */

const pending = new Set<() => void>();
let exitHookInstalled = false;

function runPending(): void {
  for (const undo of [...pending]) {
    pending.delete(undo);
    try {
      undo();
    } catch {
      // Clean-up on the way out must never hide why the process is ending.
    }
  }
}

/** `undo` runs if the process ends before the returned function is called. It must be synchronous. */
export function undoIfInterrupted(undo: () => void): () => void {
  if (!exitHookInstalled) {
    process.on('exit', runPending);
    exitHookInstalled = true;
  }
  pending.add(undo);
  return () => {
    pending.delete(undo);
  };
}

/**
 * For the duration of a command: on SIGINT or SIGTERM, run the pending clean-ups, then let the
 * signal end the process as it would have (same status for the shell). Returns the uninstaller.
 */
export function undoOnSignals(): () => void {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const handlers = signals.map((signal) => {
    const handler = () => {
      uninstall();
      runPending();
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  function uninstall(): void {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
  return uninstall;
}
