/**
 * A view on a files-only host: `build --host github-pages` lays each view out like its URLs below
 * views/<name>/, so a plain static server (nginx doing what GitHub Pages does) answers the API
 * contract below the view's path, with the gaps such a host has.
 */
import { join } from 'node:path';
import { describe } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { HOST_GAPS } from '../../scripts/hosts/capabilities.ts';
import { API_EMITTERS, fixtureRoot, sortedPathDates } from '../fixtures/api/build-fixture.ts';
import { startNginx } from '../fixtures/api/nginx-process.ts';
import { describeHostContract } from '../hosts/host-contract.ts';
import { hasSystemServer, NGINX } from '../helpers/system-server.ts';

const PLAIN_STATIC = 'location / { try_files $uri $uri.html $uri/index.html =404; }';

describe.skipIf(!hasSystemServer(NGINX, 'a view on a plain static server serving build --host github-pages'))('a view on GitHub Pages', () => {
  describeHostContract('github-pages, view /views/example', async () => {
    const root = fixtureRoot(120);
    const config = structuredClone(DEFAULT_CONFIG);
    config.extra = { views: [{ name: 'example', policy: { deny: { namespaces: ['io.github.someone'] } } }] };
    const dist = join(root, 'dist');
    const result = await buildRegistry({ root, config, host: 'github-pages', out: dist, dates: sortedPathDates, emitters: API_EMITTERS });
    if (!result.written) throw new Error(JSON.stringify(result.report.files.filter((f) => !f.ok)));
    const nginx = await startNginx(dist, 'include /etc/nginx/mime.types;', PLAIN_STATIC);
    return { baseUrl: `${nginx.baseUrl}/views/example`, dist: join(dist, 'views/example'), stop: nginx.stop };
  }, [...(HOST_GAPS['github-pages'] ?? []), 'other-data']);
});
