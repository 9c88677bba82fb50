/**
 * What a build keeps between runs under `.cache/` (CI restores and saves the folder with the
 * Actions cache): git dates and transparency-log order keyed by commit, validation verdicts keyed by file hash,
 * the SHA-256 of each source file keyed by its stat (load/file-digests.ts), validated files with their parsed documents keyed by stat (validate/entry-cache.ts). Losing the folder only makes the next build slower;
 * a cache that does not match the history is detected and rebuilt (git/date-cache.ts).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../files/atomic-file.ts';
import type { CacheStore } from '../git/date-cache.ts';
import { cachedGitDateSource } from '../git/date-cache.ts';
import type { DateSource } from '../git/git-dates.ts';
import { cachedLogOrderSource } from '../git/log-order.ts';
import type { LogOrderSource } from '../git/log-order.ts';
import type { RegistryConfig } from '../config/registry-config.ts';
import { FileDigests } from '../load/file-digests.ts';
import { EntryCache } from '../validate/entry-cache.ts';
import { VerdictCache, verdictStamp } from '../validate/verdict-cache.ts';

/** Relative to the registry root; git-ignored. */
export const BUILD_CACHE_DIR = '.cache';
export const GIT_DATES_CACHE = 'git-dates.json';
export const VERDICTS_CACHE = 'verdicts.json';
export const LOG_ORDER_CACHE = 'log-order.json';
export const FILE_DIGESTS_CACHE = 'file-digests.json';
/** Validated files by stat (validate/entry-cache.ts): a base and a delta against it. */
export const ENTRIES_CACHE = 'entries.json';
export const ENTRIES_DELTA_CACHE = 'entries-delta.json';

export function fileStore(file: string): CacheStore {
  return {
    load: () => readFile(file, 'utf8').catch(() => undefined),
    save: async (text) => {
      // A cache that cannot be written (read-only checkout, full disk) costs the next build a full walk, nothing more.
      await writeFileAtomically(file, text).catch(() => undefined);
    },
  };
}

export interface BuildCaches {
  dates: DateSource;
  logOrder: LogOrderSource;
  loadVerdicts(config: RegistryConfig): Promise<VerdictCache>;
  saveVerdicts(verdicts: VerdictCache): Promise<void>;
  loadDigests(): Promise<FileDigests>;
  /** Written only when it changed (a file read, added or gone). */
  saveDigests(digests: FileDigests): Promise<void>;
  loadEntries(config: RegistryConfig): Promise<EntryCache>;
  /** Written only when it changed; usually only the small delta. */
  saveEntries(entries: EntryCache): Promise<void>;
}

export function buildCaches(dir: string): BuildCaches {
  const verdicts = fileStore(join(dir, VERDICTS_CACHE));
  const digests = fileStore(join(dir, FILE_DIGESTS_CACHE));
  const entriesBase = fileStore(join(dir, ENTRIES_CACHE));
  const entriesDelta = fileStore(join(dir, ENTRIES_DELTA_CACHE));
  return {
    dates: cachedGitDateSource(fileStore(join(dir, GIT_DATES_CACHE))),
    logOrder: cachedLogOrderSource(fileStore(join(dir, LOG_ORDER_CACHE))),
    loadVerdicts: async (config) => VerdictCache.parse(await verdicts.load(), verdictStamp(config)),
    saveVerdicts: (cache) => verdicts.save(cache.render()),
    loadDigests: async () => FileDigests.parse(await digests.load()),
    saveDigests: async (cache) => {
      if (cache.changed()) await digests.save(cache.render());
    },
    loadEntries: async (config) => {
      // The clock of the racy check is read before any file is looked at.
      const startedAt = Date.now();
      const [base, delta] = await Promise.all([entriesBase.load(), entriesDelta.load()]);
      return EntryCache.parse(base, delta, verdictStamp(config), startedAt);
    },
    saveEntries: async (cache) => {
      const texts = cache.render();
      if (texts === undefined) return;
      // A new base first: the old delta names the old base's id, so it is ignored even if its removal fails.
      if (texts.base !== undefined) await entriesBase.save(texts.base);
      if (texts.delta !== undefined) await entriesDelta.save(texts.delta);
      else await rm(join(dir, ENTRIES_DELTA_CACHE), { force: true }).catch(() => undefined);
    },
  };
}
