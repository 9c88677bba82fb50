// Instant search on the home page: the only script the site needs. Results are built with DOM
// nodes and textContent, never HTML strings, so nothing from server.json can execute.
import { FACET_NAMES } from '@registry/catalog/server-facets.ts';
import { isStoredRows } from '@registry/search/search-codec.ts';
import { loadSearchEngine } from '@registry/search/search-engine.ts';
import { preparePostings } from '@registry/search/search-executor.ts';
import type { SearchEngine } from '@registry/search/search-engine.ts';
import { prepareFacetCounts, searchWithTotal } from '@registry/search/search-query.ts';
import type { FacetCounts, FacetSelection, SearchHit } from '@registry/search/search-query.ts';
import { serverSlug } from '@registry/site/server-slug.ts';

const form = document.querySelector<HTMLFormElement>('form.search');
const input = document.querySelector<HTMLInputElement>('#q');
const status = document.querySelector<HTMLElement>('#search-status');
const results = document.querySelector<HTMLUListElement>('#results');
const resultsSection = document.querySelector<HTMLElement>('#results-section');
const recentSection = document.querySelector<HTMLElement>('#recent-section');
const facetLinks = [...document.querySelectorAll<HTMLAnchorElement>('a[data-facet]')];

/** Milliseconds per keystroke, query + render and query alone, read by bench/search.ts. */
const timings: number[] = [];
const queryTimings: number[] = [];
/** Milliseconds of the rows rendered in the frame after a keystroke (beyond the first screen). */
const laterTimings: number[] = [];
/**
 * Milliseconds from each input event's timestamp (the keystroke) to its results in the page and
 * laid out: filled only when the page is measured (`window.__searchMeasure`, set by the
 * benchmark), since reading the layout makes the browser lay out at once, not at its next frame.
 */
const inputTimings: number[] = [];
/** What is loaded: 'names' (index.json), 'full' (with text.json), and whether the warm-up searches are done. */
const state = { index: 'none', warm: false };
Object.assign(window, {
  __searchTimings: timings,
  __queryTimings: queryTimings,
  __laterTimings: laterTimings,
  __inputTimings: inputTimings,
  __searchState: state,
});

const FACET_KEYS: readonly string[] = FACET_NAMES;
const RESULT_LIMIT = 30;

if (form && input && status && results && resultsSection && recentSection) {
  const indexUrl = form.dataset.index ?? 'search/index.json';
  const descriptionsUrl = form.dataset.descriptions ?? 'search/descriptions.json';
  let descriptions: string[] = [];
  // biome-ignore lint/correctness/noUnusedVariables: read by `??=` below, so the descriptions are fetched once
  let descriptionsLoading: Promise<void> | undefined;
  const serversBase = form.dataset.servers ?? 'servers/';
  let index: SearchEngine | undefined;
  let loading: Promise<void> | undefined;
  let hits: SearchHit[] = [];
  const selection: Record<string, string[]> = {};

  const params = new URLSearchParams(location.search);
  input.value = params.get('q') ?? '';
  for (const key of FACET_KEYS) {
    const values = params.getAll(key);
    if (values.length > 0) selection[key] = values;
  }
  status.textContent = 'Type to search; use the arrow keys to move through the results.';

  // Titles, versions and days (rows.json) fill the result rows when they arrive; until then a row
  // shows the server's name. Search never waits for them.
  const rowsUrl = form.dataset.rows ?? indexUrl.replace(/[^/]*$/, 'rows.json');
  let rows: Record<string, unknown[]> = {};
  // biome-ignore lint/correctness/noUnusedVariables: read by `??=` below, so the rows are fetched once
  let rowsLoading: Promise<void> | undefined;
  const column = (name: string, id: number) => {
    const value = rows[name]?.[id];
    return typeof value === 'string' ? value : '';
  };
  const fill = (hit: SearchHit) => {
    if (rows.t !== undefined) hit.t = column('t', hit.id);
    if (rows.u !== undefined) hit.u = column('u', hit.id);
  };
  const loadRows = () => {
    rowsLoading ??= fetch(rowsUrl)
      .then((response) => (response.ok ? response.json() : undefined))
      .then((json: unknown) => {
        if (!isStoredRows(json)) return;
        rows = json.rows;
        for (const hit of hits) fill(hit);
        if (hits.length > 0) render();
      })
      .catch(() => undefined);
  };

  // Descriptions are shown when they arrive; search never waits for them.
  const loadDescriptions = () => {
    descriptionsLoading ??= fetch(descriptionsUrl)
      .then((response) => (response.ok ? response.json() : []))
      .then((list: unknown) => {
        if (!Array.isArray(list)) return;
        descriptions = list.map((d) => (typeof d === 'string' ? d : ''));
        for (const hit of hits) hit.d = descriptions[hit.id] ?? '';
        if (hits.length > 0) render();
      })
      .catch(() => undefined);
  };

  // index.json answers from names and namespaces; text.json (beside it) holds the postings of
  // titles, descriptions, packages and tool names. It is fetched once the index is in, so it does not
  // share the line with the first download; then the index is loaded again, whole, and the
  // current query run again.
  const textUrl = form.dataset.text ?? indexUrl.replace(/[^/]*$/, 'text.json');
  const loadText = (indexJson: string) => {
    fetch(textUrl)
      .then((response) => (response.ok ? response.text() : undefined))
      .then((text) => {
        if (text === undefined) return;
        index = loadSearchEngine(indexJson, text);
        prepareFacetCounts(index);
        state.index = 'full';
        if (!resultsSection.hidden) void run();
        setTimeout(() => preparing(index as SearchEngine), 0);
      })
      .catch(() => undefined);
  };

  // The first keystrokes after the index arrives would run the search code before the engine has
  // optimised it (about twice the time per keystroke on 10,000 servers). A few searches for
  // indexed words, prefixes and a name, one per task so typing is never held up, run it first.
  // Then the postings of every word are put in the arrays queries read (preparePostings), in
  // slices of a few milliseconds, so a keystroke does not prepare the words it reaches first.
  const warmUp = (engine: SearchEngine) => {
    const words = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => engine.vocabulary[Math.floor(f * engine.vocabulary.length)] ?? '').filter((w) => w.length >= 3);
    const name = searchWithTotal(engine, '', {}, 1).hits[0]?.n ?? '';
    const texts = [...words.flatMap((w) => [w.slice(0, 2), w.slice(0, 4), w, `${w} ${words[0] ?? ''}`]), name.slice(0, 4), name.slice(0, 12)];
    const queue = [...texts, ...texts, ...texts];
    const next = () => {
      const text = queue.shift();
      if (text === undefined) {
        preparing(engine);
        return;
      }
      searchWithTotal(engine, text, {}, RESULT_LIMIT, descriptions, true);
      setTimeout(next, 0);
    };
    setTimeout(next, 0);
  };
  const preparing = (engine: SearchEngine) => {
    if (engine !== index) return;
    if (preparePostings(engine, performance.now() + 5)) {
      if (state.index === 'full') state.warm = true;
    } else setTimeout(() => preparing(engine), 0);
  };

  const load = (): Promise<void> => {
    loadRows();
    loadDescriptions();
    loading ??= fetch(indexUrl)
      .then((response) => {
        if (!response.ok) throw new Error(`${indexUrl}: HTTP ${response.status}`);
        return response.text();
      })
      .then((text) => {
        index = loadSearchEngine(text);
        prepareFacetCounts(index);
        state.index = 'names';
        warmUp(index);
        loadText(text);
      })
      .catch((error: unknown) => {
        loading = undefined;
        status.textContent = `The search index could not be loaded (${error instanceof Error ? error.message : String(error)}).`;
      });
    return loading;
  };

  // The URL follows the query once typing pauses (and before the page is left), not on every
  // keystroke: replaceState took up to 3.5 ms of a keystroke in Chromium, which also throttles
  // frequent calls.
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  let urlQuery: string | undefined;
  const writeUrl = () => {
    if (urlTimer !== undefined) clearTimeout(urlTimer);
    urlTimer = undefined;
    if (urlQuery === undefined) return;
    const next = new URLSearchParams();
    if (urlQuery !== '') next.set('q', urlQuery);
    urlQuery = undefined;
    for (const key of FACET_KEYS) for (const v of selection[key] ?? []) next.append(key, v);
    const qs = next.toString();
    history.replaceState(null, '', qs === '' ? location.pathname : `${location.pathname}?${qs}`);
  };
  const keepInUrl = (query: string) => {
    urlQuery = query;
    if (urlTimer !== undefined) clearTimeout(urlTimer);
    urlTimer = setTimeout(writeUrl, 150);
  };
  addEventListener('pagehide', writeUrl);

  // The result links, in order; the arrow keys move the focus through them and back to the box.
  const resultLinks = () => [...results.querySelectorAll<HTMLAnchorElement>('a.title')];
  const moveFocus = (from: Element | null, step: number) => {
    const links = resultLinks();
    const at = links.indexOf(from as HTMLAnchorElement);
    const next = at === -1 ? (step > 0 ? 0 : -1) : at + step;
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)]?.focus();
  };

  // The counts the page was built with (every server); restored when nothing is typed or picked.
  const builtCounts = facetLinks.map((link) => link.querySelector<HTMLElement>('.count')?.textContent ?? '');
  const countSpans = facetLinks.map((link) => link.querySelector<HTMLElement>('.count'));
  const facetWords = facetLinks.map((link) => `${link.dataset.facet ?? ''}:${link.dataset.value ?? ''}`);
  // One formatter: Number#toLocaleString builds a new one per call, milliseconds per keystroke.
  const format = new Intl.NumberFormat('en');
  const showCounts = (counts: FacetCounts | undefined) => {
    facetLinks.forEach((link, i) => {
      const span = countSpans[i];
      if (!span) return;
      const n = counts?.get(facetWords[i] as string) ?? 0;
      const text = counts ? `(${format.format(n)})` : (builtCounts[i] ?? '');
      if (span.textContent !== text) span.textContent = text;
      link.classList.toggle('none', counts !== undefined && n === 0);
    });
  };

  // One card per server, kept between keystrokes: typing one more letter mostly reorders the same
  // servers, so a card is built once and then only moved (or its description filled in).
  const cards = new Map<number, { li: HTMLLIElement; description: HTMLParagraphElement; key: string }>();
  const card = (hit: SearchHit) => {
    const key = `${hit.n}\n${hit.t}\n${hit.f}\n${hit.u}`;
    const kept = cards.get(hit.id);
    if (kept && kept.key === key) {
      if (kept.description.textContent !== hit.d) kept.description.textContent = hit.d;
      return kept.li;
    }
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.className = 'title';
    a.href = `${serversBase}${serverSlug(hit.n)}/`;
    a.dir = 'auto';
    a.textContent = hit.t || hit.n;
    li.append(a);
    if (hit.f.split(' ').includes('status:deprecated')) {
      const badge = document.createElement('span');
      badge.className = 'badge deprecated';
      badge.textContent = 'deprecated';
      li.append(' ', badge);
    }
    // The name once: under the title only when there is a title.
    if (hit.t !== '') {
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = hit.n;
      li.append(name);
    }
    const description = document.createElement('p');
    description.dir = 'auto';
    description.textContent = hit.d;
    li.append(description);
    const [version, date] = hit.u.split(' ');
    if (version) {
      const meta = document.createElement('p');
      meta.className = 'card-meta';
      meta.append('Version ', version);
      if (date) {
        const time = document.createElement('time');
        time.dateTime = date;
        time.textContent = date;
        meta.append(' · ', time);
      }
      li.append(meta);
    }
    cards.set(hit.id, { li, description, key });
    return li;
  };

  // The first rows are shown with the keystroke; the rest follow in the next frame, so a keystroke
  // waits for what fits on a screen, not for every card.
  const FIRST_ROWS = 10;
  let rest = 0;
  const place = (from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const hit = hits[i] as SearchHit;
      const li = card(hit);
      li.id = `result-${i}`;
      const at = results.children[i];
      if (at !== li) results.insertBefore(li, at ?? null);
    }
  };
  const render = () => {
    const focused = resultLinks().indexOf(document.activeElement as HTMLAnchorElement);
    if (rest !== 0) cancelAnimationFrame(rest);
    rest = 0;
    const shown = new Set(hits.map((h) => h.id));
    for (const [id, kept] of cards) {
      if (shown.has(id)) continue;
      kept.li.remove();
      // Cards not shown are forgotten once there are many, so the map stays small.
      if (cards.size > RESULT_LIMIT * 4) cards.delete(id);
    }
    const first = Math.min(hits.length, FIRST_ROWS);
    place(0, first);
    if (hits.length > first) {
      rest = requestAnimationFrame(() => {
        rest = 0;
        const started = performance.now();
        place(first, hits.length);
        while (results.children.length > hits.length) results.lastElementChild?.remove();
        laterTimings.push(performance.now() - started);
      });
    }
    while (results.children.length > Math.max(first, hits.length)) results.lastElementChild?.remove();
    if (focused >= 0) resultLinks()[Math.min(focused, hits.length - 1)]?.focus();
  };

  const run = async (event?: Event) => {
    let timed = event;
    const query = input.value;
    const filtering = Object.values(selection).some((v) => v.length > 0);
    keepInUrl(query.trim());
    if (query.trim() === '' && !filtering) {
      resultsSection.hidden = true;
      recentSection.hidden = false;
      hits = [];
      if (rest !== 0) cancelAnimationFrame(rest);
      rest = 0;
      results.replaceChildren();
      showCounts(undefined);
      return;
    }
    if (index === undefined) {
      status.textContent = 'Loading the search index…';
      // A keystroke that waits for the index is not timed as one.
      timed = undefined;
      await load();
      if (index === undefined || input.value !== query) return;
    }
    const started = performance.now();
    const found = searchWithTotal(index, query, selection as FacetSelection, RESULT_LIMIT, descriptions, true);
    hits = found.hits;
    for (const hit of hits) fill(hit);
    queryTimings.push(performance.now() - started);
    render();
    showCounts(found.counts);
    timings.push(performance.now() - started);
    resultsSection.hidden = false;
    recentSection.hidden = true;
    status.textContent =
      found.total === 0
        ? 'No servers match.'
        : found.total > hits.length
          ? `The best ${hits.length} of ${format.format(found.total)} results.`
          : `${found.total} ${found.total === 1 ? 'result' : 'results'}.`;
    if (timed !== undefined && (window as { __searchMeasure?: boolean }).__searchMeasure === true) {
      void results.offsetHeight;
      inputTimings.push(performance.now() - timed.timeStamp);
    }
  };

  for (const link of facetLinks) {
    const facet = link.dataset.facet ?? '';
    const value = link.dataset.value ?? '';
    link.setAttribute('role', 'button');
    link.setAttribute('aria-pressed', String((selection[facet] ?? []).includes(value)));
    const toggle = (event: Event) => {
      event.preventDefault();
      const list = selection[facet] ?? [];
      const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
      selection[facet] = next;
      link.setAttribute('aria-pressed', String(next.includes(value)));
      void run();
      // A filter is picked once, not typed: the URL follows at once.
      writeUrl();
    };
    link.addEventListener('click', toggle);
    link.addEventListener('keydown', (event) => {
      if (event.key === ' ') toggle(event);
    });
  }

  input.addEventListener('focus', () => void load(), { once: true });
  input.addEventListener('input', (event) => void run(event));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      moveFocus(null, 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const target = hits[0];
      writeUrl();
      if (target) location.href = `${serversBase}${serverSlug(target.n)}/`;
    } else if (event.key === 'Escape') {
      input.value = '';
      void run();
    }
  });
  // Following a result (click or keyboard) keeps the query in the URL the back button returns to.
  results.addEventListener('pointerdown', writeUrl);
  results.addEventListener('focusin', writeUrl);
  results.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      moveFocus(document.activeElement, event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Escape') {
      input.focus();
    }
  });
  // Filters stay open where there is room for them (and without JavaScript, where they are the
  // way in); on a phone they wait behind their summary so the first result is in view.
  const filters = document.querySelector<HTMLDetailsElement>('details[data-filters]');
  if (filters && !matchMedia('(min-width: 48rem)').matches && !Object.values(selection).some((v) => v.length > 0)) filters.open = false;
  form.addEventListener('submit', (event) => event.preventDefault());
  if (input.value.trim() !== '' || Object.keys(selection).length > 0) void run();
}
