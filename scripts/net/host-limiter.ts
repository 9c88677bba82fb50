/** Per-host concurrency limit: at most `limit` requests in flight to one host; the rest wait in order. */

export interface HostLimiter {
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
}

export function createHostLimiter(limit: number): HostLimiter {
  const active = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();

  function release(host: string): void {
    const queue = waiting.get(host);
    const next = queue?.shift();
    if (next) {
      next();
      return;
    }
    if (queue && queue.length === 0) waiting.delete(host);
    const n = (active.get(host) ?? 1) - 1;
    if (n === 0) active.delete(host);
    else active.set(host, n);
  }

  async function acquire(host: string): Promise<void> {
    const n = active.get(host) ?? 0;
    if (n < limit) {
      active.set(host, n + 1);
      return;
    }
    // The slot is handed over by release(), so the count stays as it is.
    await new Promise<void>((resolve) => {
      const queue = waiting.get(host) ?? [];
      queue.push(resolve);
      waiting.set(host, queue);
    });
  }

  return {
    async run<T>(host: string, task: () => Promise<T>): Promise<T> {
      await acquire(host);
      try {
        return await task();
      } finally {
        release(host);
      }
    },
  };
}
