/**
 * Remembers packages already proven (registry type + identifier + version + server name +
 * base), so re-runs skip them. Only successes are stored: a failure is always asked again.
 * One small file per proof under `.cache/verify/`, written atomically.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../files/atomic-file.ts';

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
        await writeFileAtomically(fileOf(key), `${JSON.stringify({ key, provenAt: now.toISOString() })}\n`);
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
