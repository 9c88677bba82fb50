/**
 * What each host build answers of the registry API, declared once. The build writes it as
 * `/mcp-registry-capabilities.json` at the root (a plain file on every host, no dot-folder),
 * and the host contract suite (test/hosts/host-contract.ts) runs each host with exactly these
 * gaps and fetches the document from the running host, so the two cannot drift: a gap the host
 * has but that is not declared here fails the suite, and so does a `query` gap it does not have.
 */

export const CAPABILITIES_FILE = 'mcp-registry-capabilities.json';

/** A way a host differs from the official API; codes are stable (clients may match on them). */
export type ApiGap =
  /** The host ignores query strings: /v0.1/servers is one page holding everything. */
  | 'query'
  /** search, updated_since and exact version filters answer 400 "not answered by this host". */
  | 'filters'
  /** Only cursors the build handed out resolve; any other answers 400 (the official server treats every cursor as a position). */
  | 'foreign-cursor'
  /** Error bodies carry no errors[].value. */
  | 'error-values'
  /** The host's own error pages (unknown paths, bad paths, long URLs) are not JSON. */
  | 'host-errors'
  /** Content types come from file extensions: API answers are not labelled application/json. */
  | 'content-types'
  /** A 422 names only the first failing parameter (the official server names every one). */
  | 'first-error-only';

interface GapText {
  /** Query parameters of GET /v0.1/servers this gap leaves unanswered. */
  parameters: readonly string[];
  summary: string;
  clientsSee: string;
}

const LIST_PARAMETERS = ['cursor', 'include_deleted', 'limit', 'search', 'updated_since', 'version'] as const;

export const GAP_TEXT: Readonly<Record<ApiGap, GapText>> = {
  query: {
    parameters: LIST_PARAMETERS,
    summary: 'query strings are ignored',
    clientsSee: 'GET /v0.1/servers answers every visible entry in one page with no nextCursor, whatever the query; filters and bad values are not refused',
  },
  filters: {
    parameters: ['search', 'updated_since', 'version'],
    summary: 'search, updated_since and exact version filters are not answered',
    clientsSee: 'a 400 whose detail says the filter is not answered by this static host',
  },
  'foreign-cursor': {
    parameters: ['cursor'],
    summary: 'only cursors this registry handed out resolve',
    clientsSee: 'a 400 "Invalid cursor parameter" for any other cursor',
  },
  'error-values': { parameters: [], summary: 'error bodies carry no errors[].value', clientsSee: '422 bodies without the offending value' },
  'host-errors': {
    parameters: [],
    summary: "unknown servers and paths get the host's own error page",
    clientsSee: 'a 404 (or 400/414) that is not JSON and may be cached',
  },
  'content-types': {
    parameters: [],
    summary: 'content types follow file extensions',
    clientsSee: 'answers at extension-less URLs (served from .html twins) labelled text/html, not application/json; parse the body as JSON regardless',
  },
  'first-error-only': { parameters: [], summary: 'a 422 names only the first failing parameter', clientsSee: 'one entry in errors[]' },
};

/**
 * The gaps of each `build --host` kind (keys are scripts/emit/emitter.ts's HOST_KINDS; a test
 * checks they match). `netlify` is the build as deployed, with its edge function.
 */
export const HOST_GAPS: Readonly<Record<string, readonly ApiGap[]>> = {
  node: [],
  nginx: [],
  netlify: [],
  cloudflare: [],
  'github-pages': ['query', 'host-errors', 'content-types'],
};

/** The capabilities document of a host kind: deterministic JSON, gaps in declaration order. */
export function capabilitiesBody(host: string): string {
  const gaps = HOST_GAPS[host];
  if (!gaps) throw new Error(`no capabilities declared for host ${host}: add it to HOST_GAPS in scripts/hosts/capabilities.ts`);
  const unanswered = [...new Set(gaps.flatMap((g) => GAP_TEXT[g].parameters))].sort();
  const doc = {
    host,
    api: ['/v0.1', '/v0'],
    answersEverything: gaps.length === 0,
    unansweredParameters: unanswered,
    gaps: gaps.map((code) => ({ code, ...GAP_TEXT[code] })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
