import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerListResponse } from '../../scripts/core/api-types.ts';
import { HOST_GAPS } from '../../scripts/hosts/capabilities.ts';
import { buildFixture, CONTRACT_EMITTERS, contractRoot, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { describeHostContract } from './host-contract.ts';
import { startNginx } from '../fixtures/api/nginx-process.ts';
import { hasSystemServer, NGINX } from '../helpers/system-server.ts';

/** What GitHub Pages does: files only, query strings ignored, `/x` served from `x.html`. */
const PLAIN_STATIC = 'location / { try_files $uri $uri.html $uri/index.html =404; }';

describe.skipIf(!hasSystemServer(NGINX, 'a plain static server serving build --host github-pages'))(
  'a plain static server serving build --host github-pages',
  () => {
    describeHostContract(
      'github-pages',
      async () => {
        const { dist } = await buildFixture(contractRoot(120), 'github-pages', undefined, CONTRACT_EMITTERS);
        const nginx = await startNginx(dist, 'include /etc/nginx/mime.types;', PLAIN_STATIC);
        return { ...nginx, dist };
      },
      HOST_GAPS['github-pages'],
    );
  },
);

describe('github-pages list files', () => {
  it('advertises no cursor and links page files instead', async () => {
    const { dist } = await buildFixture(fixtureRoot(120), 'github-pages');
    const list = JSON.parse(readFileSync(join(dist, 'v0.1/servers.json'), 'utf8')) as ServerListResponse;
    expect(list.metadata.nextCursor).toBeUndefined();
    expect(list.metadata.count).toBe(list.servers.length);
    const page1 = JSON.parse(readFileSync(join(dist, 'v0.1/pages/servers/1.json'), 'utf8')) as { servers: unknown[]; metadata: { nextPage?: string } };
    expect(page1.servers).toHaveLength(100);
    expect(page1.metadata.nextPage).toBe('http://127.0.0.1:4321/v0.1/pages/servers/2.json');
    expect(readFileSync(join(dist, 'v0/servers.html'), 'utf8')).toBe(readFileSync(join(dist, 'v0.1/servers.json'), 'utf8'));
  });
});
