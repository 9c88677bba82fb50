/**
 * Remembers packages already proven (registry type + identifier + version + server name +
 * base), so re-runs skip them. Only successes are stored: a failure is always asked again.
 * One small file per proof under `.cache/verify/`, written atomically.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProofCache {
  has(key: string): Promise<boolean>;
  remember(key: string, now: Date): Promise<void>;
}

export function proofKey(parts: readonly (string | undefined)[]): string {
  return JSON.stringify(parts.map((p) => p ?? ''));
}

export function createProofCache(dir: string): ProofCache {
  const fileOf = (key: string) => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  return {
    async has(key) {
      try {
        const stored = JSON.parse(await readFile(fileOf(key), 'utf8')) as { key?: unknown };
        return stored.key === key;
      } catch {
        return false;
      }
    },
    async remember(key, now) {
      try {
        await mkdir(dir, { recursive: true });
        const file = fileOf(key);
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        await writeFile(tmp, JSON.stringify({ key, provenAt: now.toISOString() }) + '\n');
        await rename(tmp, file);
      } catch {
        // A cache that cannot be written only costs time on the next run.
      }
    },
  };
}

export const noProofCache: ProofCache = {
  has: async () => false,
  remember: async () => {},
};
