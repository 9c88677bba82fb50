/**
 * `_headers` for the hosts that serve dist/ as files and read that format (Cloudflare Pages,
 * Netlify): CORS on every path, the API's cache policy on the API's paths.
 */
import { ALLOW_METHODS, ALLOW_ORIGIN, API_CACHE, EXPOSE_HEADERS } from '../api/http-headers.ts';

const line = ([name, value]: readonly [string, string]) => `  ${name}: ${value}\n`;

export const HEADERS_FILE =
  `/*\n${[ALLOW_ORIGIN, ALLOW_METHODS, EXPOSE_HEADERS].map(line).join('')}` +
  ['/v0.1/*', '/v0/*'].map((path) => `${path}\n${line(['Cache-Control', API_CACHE])}`).join('');
