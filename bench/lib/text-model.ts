/**
 * Pure: servers whose names, titles, descriptions and package identifiers have the statistics of
 * a real registry, for sizing the search index at scales no real registry here has (issue 13).
 *
 * Learned from real server responses (the official registry's data in ../shared): each generated
 * server copies the shape of a real one drawn at random (its text's length and punctuation, its
 * packages and remotes, version, status and day) and rewrites its words. A word is kept with a
 * probability that grows with the number of real servers that use it (`mcp`, `server` and
 * `ai.smithery` stay; a login or a product name that one server uses is almost always
 * replaced), else replaced by a word drawn from a Pitman-Yor process whose new words are
 * pseudo-words of the same length from the real words' letter pairs. So frequent words stay
 * frequent, the vocabulary grows sublinearly as real vocabularies do (Heaps' law), and a word
 * rewritten in one server's name is rewritten the same way in its description and packages (the
 * index stores such fields' shared postings once). `keep` calibrates the model: bench/search-scale.ts
 * picks the value at which the real registry's own sample size gives the real index size.
 */
import type { ServerJson, ServerResponse } from '../../scripts/core/api-types.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import { prng } from './official-shape.ts';

const WORD = /([\p{L}\p{N}]+)/u;
const GITHUB = 'io.github.';

export interface TextModel {
  templates: ServerResponse[];
  /** Per lower-cased word: how many template servers use it. */
  serversWith: Map<string, number>;
  /** Letter pairs of the real words: per letter (and '^' for a word's start), the letters after it. */
  next: Map<string, string>;
}

export interface ModelOptions {
  /** A word used by k real servers is kept with probability 1 - 1 / (1 + keep·(k - 1)). */
  keep?: number;
  /** Pitman-Yor discount and concentration of the replacement words. */
  discount?: number;
  concentration?: number;
  seed?: number;
}

function words(text: string): string[] {
  return text.split(WORD).filter((_, i) => i % 2 === 1);
}

function serverTexts(server: ServerJson): string[] {
  const name = String(server.name ?? '');
  const slash = name.indexOf('/');
  const packages = Array.isArray(server.packages) ? server.packages : [];
  return [
    name.slice(0, slash === -1 ? name.length : slash),
    name.slice(slash + 1),
    String(server.title ?? ''),
    String(server.description ?? ''),
    ...packages.map((p) => String((p as { identifier?: unknown }).identifier ?? '')),
  ];
}

/** Pure: the model of these servers (their latest versions are the templates). */
export function learnTextModel(responses: readonly ServerResponse[]): TextModel {
  const latest = new Map<string, ServerResponse>();
  for (const r of responses) {
    const meta = r._meta?.[OFFICIAL_META_KEY] as { isLatest?: boolean } | undefined;
    if (meta?.isLatest === true || !latest.has(r.server.name)) latest.set(r.server.name, r);
  }
  const templates = [...latest.values()].sort((a, b) => (a.server.name < b.server.name ? -1 : 1));
  const serversWith = new Map<string, number>();
  const pairs = new Map<string, string[]>();
  for (const t of templates) {
    const own = new Set(
      serverTexts(t.server)
        .flatMap(words)
        .map((w) => w.toLowerCase()),
    );
    for (const w of own) {
      serversWith.set(w, (serversWith.get(w) ?? 0) + 1);
      let before = '^';
      for (const ch of w) {
        const list = pairs.get(before) ?? [];
        list.push(ch);
        pairs.set(before, list);
        before = ch;
      }
    }
  }
  return { templates, serversWith, next: new Map([...pairs].map(([k, v]) => [k, v.join('')])) };
}

/** The Pitman-Yor process of replacement words (rejection sampling keeps each draw O(1)). */
function replacements(random: () => number, discount: number, concentration: number, fresh: (like: string) => string): (like: string) => string {
  const tables: string[] = [];
  const counts: number[] = [];
  /** One entry per draw: the table it sat at (so a uniform draw is ∝ count). */
  const draws: number[] = [];
  return (like) => {
    const n = draws.length;
    const k = tables.length;
    let table = k;
    if (n === 0 || random() < (concentration + discount * k) / (concentration + n)) {
      tables.push(fresh(like));
      counts.push(0);
    } else {
      for (;;) {
        const t = draws[Math.floor(random() * n)] as number;
        const c = counts[t] as number;
        if (random() < (c - discount) / c) {
          table = t;
          break;
        }
      }
    }
    counts[table] = (counts[table] as number) + 1;
    draws.push(table);
    return tables[table] as string;
  };
}

function casedLike(word: string, like: string): string {
  if (like === like.toLowerCase()) return word;
  if (like === like.toUpperCase() && like.length > 1) return word.toUpperCase();
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Pure: `count` servers (latest versions only, unique names) with the model's statistics. */
export function generateServers(model: TextModel, count: number, options: ModelOptions): ServerResponse[] {
  const random = prng(options.seed ?? 13);
  const pick = (s: string) => s.charAt(Math.floor(random() * s.length));
  const fresh = (like: string): string => {
    if (/^\p{N}+$/u.test(like)) return Array.from(like, () => String(Math.floor(random() * 10))).join('');
    let out = '';
    let before = '^';
    for (let i = 0; i < like.length; i += 1) {
      const ch = pick(model.next.get(before) ?? model.next.get('^') ?? 'e');
      out += ch;
      before = ch;
    }
    return out;
  };
  const replace = replacements(random, options.discount ?? 0.95, options.concentration ?? 100, fresh);
  const names = new Set<string>();
  const out: ServerResponse[] = [];
  for (let i = 0; i < count; i += 1) {
    const template = model.templates[Math.floor(random() * model.templates.length)] as ServerResponse;
    const mapping = new Map<string, string>();
    const word = (w: string): string => {
      const lower = w.toLowerCase();
      let to = mapping.get(lower);
      if (to === undefined) {
        const k = model.serversWith.get(lower) ?? 1;
        to = random() < 1 - 1 / (1 + (options.keep ?? 1) * (k - 1)) ? lower : replace(lower);
        mapping.set(lower, to);
      }
      return casedLike(to, w);
    };
    const rewrite = (text: string) =>
      text
        .split(WORD)
        .map((part, j) => (j % 2 === 1 ? word(part) : part))
        .join('');
    const server = template.server;
    const slash = server.name.indexOf('/');
    const namespace = server.name.slice(0, slash);
    const ns = namespace.startsWith(GITHUB)
      ? GITHUB + rewrite(namespace.slice(GITHUB.length))
      : namespace
          .split('.')
          .map((label, j) => (j === 0 ? label : rewrite(label)))
          .join('.');
    const base = `${ns}/${rewrite(server.name.slice(slash + 1))}`;
    let name = base;
    for (let n = 2; names.has(name); n += 1) name = `${base}-${n}`;
    names.add(name);
    const copy: ServerJson = { ...server, name, description: rewrite(String(server.description ?? '')) };
    if (typeof server.title === 'string') copy.title = rewrite(server.title);
    if (Array.isArray(server.packages)) copy.packages = server.packages.map((p) => ({ ...p, identifier: rewrite(String(p.identifier ?? '')) }));
    const repo = server.repository;
    if (repo !== undefined && typeof repo.url === 'string') copy.repository = { ...repo, url: rewrite(repo.url) };
    const official = { ...template._meta[OFFICIAL_META_KEY], isLatest: true };
    out.push({ server: copy, _meta: { [OFFICIAL_META_KEY]: official } } as ServerResponse);
  }
  return out;
}
