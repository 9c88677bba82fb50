import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { describeHostContract } from './host-contract.ts';
import { startNginx } from '../fixtures/api/nginx-process.ts';
import { hasSystemServer, NGINX } from '../helpers/system-server.ts';

describe.skipIf(!hasSystemServer(NGINX, 'Debian nginx serving build --host nginx'))('Debian nginx serving build --host nginx', () => {
  describeHostContract('nginx', async () => {
    const { dist } = await buildFixture(fixtureRoot(120), 'nginx');
    const nginx = await startNginx(dist, `include ${dist}/_nginx/http.conf;`, `include ${dist}/_nginx/server.conf;`);
    return { ...nginx, dist };
  }, ['filters', 'error-values', 'foreign-cursor', 'first-error-only']);
});

describe.skipIf(!hasSystemServer(NGINX, 'Debian nginx serving the site of build --host nginx'))('Debian nginx serving the site of build --host nginx', () => {
  let nginx: { baseUrl: string; stop: () => Promise<void> };
  beforeAll(async () => {
    const { dist } = await buildFixture(fixtureRoot(), 'nginx');
    // The site emitter writes this page; the API fixture builds without the (slow) site.
    writeFileSync(join(dist, '404.html'), '<!DOCTYPE html><title>Not found</title><h1>No such page</h1>');
    writeFileSync(join(dist, 'feed.xml'), '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>');
    nginx = await startNginx(dist, `include ${dist}/_nginx/http.conf;`, `include ${dist}/_nginx/server.conf;`);
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it("answers a missing site path with the site's 404 page", async () => {
    const res = await fetch(`${nginx.baseUrl}/servers/no.such/page/`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('No such page');
  });

  it('serves the Atom feed as XML', async () => {
    const res = await fetch(`${nginx.baseUrl}/feed.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml');
  });

  it('keeps the JSON 404 for missing API paths', async () => {
    const res = await fetch(`${nginx.baseUrl}/v0.1/no-such-endpoint`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
