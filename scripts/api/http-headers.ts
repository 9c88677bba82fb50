/**
 * The HTTP header values of the API, for every host: `serve`, the Cloudflare worker, nginx's
 * configuration and the `_headers` files of the static hosts read them from here. Which of the
 * CORS headers a host sends is its own choice (a static host needs no preflight answer); the
 * values are not.
 */

export const ALLOW_ORIGIN = ['Access-Control-Allow-Origin', '*'] as const;
export const ALLOW_METHODS = ['Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS'] as const;
export const ALLOW_HEADERS = ['Access-Control-Allow-Headers', '*'] as const;
/** Browsers may read the ETag, to revalidate. */
export const EXPOSE_HEADERS = ['Access-Control-Expose-Headers', 'ETag'] as const;
/** How long a browser may keep a preflight answer. */
export const PREFLIGHT_MAX_AGE = ['Access-Control-Max-Age', '86400'] as const;

/** The CORS headers of a host that answers preflights itself (the worker; serve adds the max age). */
export const CORS_HEADERS = [ALLOW_ORIGIN, ALLOW_METHODS, ALLOW_HEADERS, EXPOSE_HEADERS] as const;

export const JSON_TYPE = 'application/json; charset=utf-8';
export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
/** The empty answer to OPTIONS. */
export const PREFLIGHT_TYPE = 'text/plain';
export const HTML_TYPE = 'text/html; charset=utf-8';
export const OCTET_STREAM_TYPE = 'application/octet-stream';

/** Content types of the files of a build, by extension. */
export const FILE_TYPES: Readonly<Record<string, string>> = {
  '.json': JSON_TYPE,
  '.yaml': 'application/yaml; charset=utf-8',
  '.html': HTML_TYPE,
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
  '.gz': 'application/gzip',
};

/** API answers: clients may reuse one for a minute and must revalidate (ETag) after that. */
export const API_CACHE = 'public, max-age=60, must-revalidate';
/** The site's files. */
export const STATIC_CACHE = 'public, max-age=300';
/** Errors are never cached. */
export const NO_STORE = 'no-store';

/** `name: value` pairs as lower-case names, for a Headers object or node's setHeader. */
export function headerObject(pairs: readonly (readonly [string, string])[]): Record<string, string> {
  return Object.fromEntries(pairs.map(([name, value]) => [name.toLowerCase(), value]));
}
