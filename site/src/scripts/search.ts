// Instant search on the home page: the only script the site needs. Results are built with DOM
// nodes and textContent, never HTML strings, so nothing from server.json can execute.
import { loadSearchEngine } from '@registry/search/search-engine.ts';
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
Object.assign(window, { __searchTimings: timings, __queryTimings: queryTimings });

const FACET_KEYS = ['registry', 'transport', 'hosting', 'status'];
const RESULT_LIMIT = 30;

if (form && input && status && results && resultsSection && recentSection) {
  const indexUrl = form.dataset.index ?? 'search/index.json';
  const descriptionsUrl = form.dataset.descriptions ?? 'search/descriptions.json';
  let descriptions: string[] = [];
  let descriptionsLoading: Promise<void> | undefined;
  const serversBase = form.dataset.servers ?? 'servers/';
  let index: SearchEngine | undefined;
  let loading: Promise<void> | undefined;
  let active = -1;
  let hits: SearchHit[] = [];
  const selection: Record<string, string[]> = {};

  const params = new URLSearchParams(location.search);
  input.value = params.get('q') ?? '';
  for (const key of FACET_KEYS) {
    const values = params.getAll(key);
    if (values.length > 0) selection[key] = values;
  }
  status.textContent = 'Type to search; use the arrow keys to move through the results.';

  // Descriptions are shown when they arrive; search never waits for them.
  const loadDescriptions = () => {
    descriptionsLoading ??= fetch(descriptionsUrl)
      .then((response) => (response.ok ? response.json() : []))
      .then((list: unknown) => {
        if (!Array.isArray(list)) return;
        descriptions = list.map((d) => (typeof d === 'string' ? d : ''));
        for (const hit of hits) hit.d = descriptions[hit.id] ?? '';
        if (hits.length > 0) render(true);
      })
      .catch(() => undefined);
  };

  const load = (): Promise<void> => {
    loadDescriptions();
    loading ??= fetch(indexUrl)
      .then((response) => {
        if (!response.ok) throw new Error(`${indexUrl}: HTTP ${response.status}`);
        return response.text();
      })
      .then((text) => {
        index = loadSearchEngine(text);
        prepareFacetCounts(index);
      })
      .catch((error: unknown) => {
        loading = undefined;
        status.textContent = `The search index could not be loaded (${error instanceof Error ? error.message : String(error)}).`;
      });
    return loading;
  };

  const keepInUrl = (query: string) => {
    const next = new URLSearchParams();
    if (query !== '') next.set('q', query);
    for (const key of FACET_KEYS) for (const v of selection[key] ?? []) next.append(key, v);
    const qs = next.toString();
    history.replaceState(null, '', qs === '' ? location.pathname : `${location.pathname}?${qs}`);
  };

  const setActive = (i: number) => {
    const items = [...results.children] as HTMLElement[];
    active = items.length === 0 ? -1 : Math.max(-1, Math.min(i, items.length - 1));
    items.forEach((li, n) => li.setAttribute('aria-selected', String(n === active)));
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', items[active]!.id);
      items[active]!.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
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

  const render = (keepActive = false) => {
    const items = hits.map((hit, i) => {
      const li = document.createElement('li');
      li.id = `result-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      const a = document.createElement('a');
      a.className = 'title';
      a.href = `${serversBase}${serverSlug(hit.n)}/`;
      a.dir = 'auto';
      a.tabIndex = -1;
      a.textContent = hit.t || hit.n;
      li.append(a);
      if (hit.f.split(' ').includes('status:deprecated')) {
        const badge = document.createElement('span');
        badge.className = 'badge deprecated';
        badge.textContent = 'deprecated';
        li.append(' ', badge);
      }
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = hit.n;
      const description = document.createElement('p');
      description.dir = 'auto';
      description.textContent = hit.d;
      li.append(name, description);
      li.addEventListener('click', (event) => {
        if (event.target !== a) location.href = a.href;
      });
      return li;
    });
    results.replaceChildren(...items);
    setActive(keepActive ? active : -1);
  };

  const run = async () => {
    const query = input.value;
    const filtering = Object.values(selection).some((v) => v.length > 0);
    keepInUrl(query.trim());
    if (query.trim() === '' && !filtering) {
      resultsSection.hidden = true;
      recentSection.hidden = false;
      input.setAttribute('aria-expanded', 'false');
      hits = [];
      results.replaceChildren();
      showCounts(undefined);
      return;
    }
    if (index === undefined) {
      status.textContent = 'Loading the search index…';
      await load();
      if (index === undefined || input.value !== query) return;
    }
    const started = performance.now();
    const found = searchWithTotal(index, query, selection as FacetSelection, RESULT_LIMIT, descriptions, true);
    hits = found.hits;
    queryTimings.push(performance.now() - started);
    render();
    showCounts(found.counts);
    timings.push(performance.now() - started);
    resultsSection.hidden = false;
    recentSection.hidden = true;
    input.setAttribute('aria-expanded', String(hits.length > 0));
    status.textContent =
      found.total === 0
        ? 'No servers match.'
        : found.total > hits.length
          ? `The best ${hits.length} of ${format.format(found.total)} results.`
          : `${found.total} ${found.total === 1 ? 'result' : 'results'}.`;
  };

  for (const link of facetLinks) {
    const facet = link.dataset.facet ?? '';
    const value = link.dataset.value ?? '';
    link.setAttribute('role', 'button');
    link.setAttribute('aria-pressed', String((selection[facet] ?? []).includes(value)));
    const toggle = (event: Event) => {
      event.preventDefault();
      const list = selection[facet] ?? [];
      selection[facet] = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
      link.setAttribute('aria-pressed', String(selection[facet]!.includes(value)));
      void run();
    };
    link.addEventListener('click', toggle);
    link.addEventListener('keydown', (event) => {
      if (event.key === ' ') toggle(event);
    });
  }

  input.addEventListener('focus', () => void load(), { once: true });
  input.addEventListener('input', () => void run());
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive(active + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(active - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const target = hits[active >= 0 ? active : 0];
      if (target) location.href = `${serversBase}${serverSlug(target.n)}/`;
    } else if (event.key === 'Escape') {
      input.value = '';
      void run();
    }
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  if (input.value.trim() !== '' || Object.keys(selection).length > 0) void run();
}
