/**
 * Git dates that cost work in proportion to the commits since the last build: a cache of first
 * and last author times per path, keyed by the HEAD it was read at. On the next build only
 * `<cached head>..HEAD` is read and merged in (first = min, last = max, so the result equals a
 * full walk). A cache is used only when its head is an ancestor of HEAD: after a rebase or a
 * force-push, or when it cannot be read, the whole history is walked and the cache replaced.
 * A shallow clone neither reads nor writes it (its history is incomplete either way).
 */
import type { DateSource, GitDates, SecondsByPath } from './git-dates.ts';
import { logServers, parseGitLogSeconds, repositoryState, runGit, toFileDates, withFileTimes } from './git-dates.ts';

/** Where the cache lives; the build keeps it in `.cache/` and CI carries it between runs. */
export interface CacheStore {
  load(): Promise<string | undefined>;
  save(text: string): Promise<void>;
}

const FORMAT = 'git-dates/1';

interface CacheFile {
  format: typeof FORMAT;
  head: string;
  /** path → [first, last] author time in seconds. */
  dates: Record<string, [number, number]>;
}

/** Pure: the cache text → head and dates, or undefined when it is not a cache of this format. */
export function parseDateCache(text: string): { head: string; dates: SecondsByPath } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const file = value as Partial<CacheFile>;
  if (file.format !== FORMAT || typeof file.head !== 'string' || !/^[0-9a-f]{40,64}$/.test(file.head)) return undefined;
  if (typeof file.dates !== 'object' || file.dates === null) return undefined;
  const dates: SecondsByPath = new Map();
  for (const [path, pair] of Object.entries(file.dates)) {
    if (!Array.isArray(pair) || pair.length !== 2 || !Number.isInteger(pair[0]) || !Number.isInteger(pair[1])) return undefined;
    dates.set(path, [pair[0], pair[1]]);
  }
  return { head: file.head, dates };
}

/** Pure, deterministic: sorted paths, so the same history always gives the same bytes. */
export function renderDateCache(head: string, dates: SecondsByPath): string {
  const sorted = [...dates.keys()].sort();
  const body: Record<string, [number, number]> = {};
  for (const path of sorted) body[path] = dates.get(path) as [number, number];
  return `${JSON.stringify({ format: FORMAT, head, dates: body })}\n`;
}

async function isAncestor(root: string, older: string, newer: string): Promise<boolean> {
  // Exit 0 only when `older` exists here and is reachable from `newer`; a missing object fails too.
  return (await runGit(root, ['merge-base', '--is-ancestor', older, newer])) !== undefined;
}

export function cachedGitDateSource(store: CacheStore): DateSource {
  return {
    async read(root, paths) {
      const state = await repositoryState(root);
      const result: GitDates = { dates: new Map(), ...state };
      if (state.head) {
        const head = state.head.commit;
        const cached = state.shallow ? undefined : parseDateCache((await store.load()) ?? '');
        let seconds: SecondsByPath | undefined;
        if (cached && cached.head === head) {
          seconds = cached.dates;
          result.walk = 'cached';
        } else if (cached && (await isAncestor(root, cached.head, head))) {
          const log = await logServers(root, `${cached.head}..${head}`);
          if (log !== undefined) {
            seconds = parseGitLogSeconds(log, cached.dates);
            result.walk = 'incremental';
          }
        }
        if (seconds === undefined) {
          const log = await logServers(root, head);
          if (log !== undefined) {
            seconds = parseGitLogSeconds(log);
            result.walk = 'full';
          }
        }
        if (seconds !== undefined) {
          result.dates = toFileDates(seconds);
          if (!state.shallow && result.walk !== 'cached') await store.save(renderDateCache(head, seconds));
        }
      }
      withFileTimes(root, paths, result.dates);
      return result;
    },
  };
}
