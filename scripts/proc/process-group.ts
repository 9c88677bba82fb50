/**
 * A helper process (the site build's Astro) that never outlives the build which started it.
 *
 * The child leads a process group of its own, so one signal reaches it and whatever it started
 * (esbuild, workers). The parent kills that group when the child is done, when the parent
 * exits, and on SIGINT/SIGTERM (exit-hooks.ts). A parent killed by SIGKILL runs nothing, so
 * the child also watches its parent (`endWithParent`): once it is gone, the child kills its own
 * group. The watch runs on a worker thread because loading and running Astro keeps the main
 * thread busy for seconds at a time.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { undoIfInterrupted } from './exit-hooks.ts';

export type GroupChild = ChildProcessByStdio<null, Readable, Readable>;

/** Tells the child whom to watch (its ppid at start-up may already be a reaper's). */
const PARENT_PID = 'MCP_REGISTRY_PARENT_PID';
const WATCH_INTERVAL_MS = 100;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function spawnGroup(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): GroupChild {
  const env = { ...options.env, [PARENT_PID]: String(process.pid) };
  const child = spawn(command, args, { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) return child;
  const forget = undoIfInterrupted(() => killGroup(pid));
  child.once('exit', () => {
    forget();
    killGroup(pid);
  });
  return child;
}

const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid === workerData.parent) return;
  try { process.kill(-process.pid, 'SIGKILL'); } catch { process.kill(process.pid, 'SIGKILL'); }
}, workerData.interval);
`;

/** In the child: when the process that started it is gone, end this process group (or this process, if not a group leader). */
export function endWithParent(): void {
  const parent = Number(process.env[PARENT_PID]);
  if (!Number.isInteger(parent) || parent <= 0) return;
  new Worker(WATCH, { eval: true, workerData: { parent, interval: WATCH_INTERVAL_MS } }).unref();
}
