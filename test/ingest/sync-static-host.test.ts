import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { startNginxHost } from '../fixtures/api/nginx-process.ts';
import { hasSystemServer, NGINX_NJS } from '../helpers/system-server.ts';

// A subregistry hosted with `build --host nginx` is an upstream too: njs answers updated_since there.
describe.skipIf(!hasSystemServer(NGINX_NJS, 'sync from an instance of ours hosted on Debian nginx'))(
  'sync from an instance of ours hosted on Debian nginx',
  () => {
    let nginx: { baseUrl: string; stop: () => Promise<void> };
    let mirror: string;
    const closers: (() => Promise<void>)[] = [];

    beforeAll(async () => {
      const { dist } = await buildFixture(fixtureRoot(), 'nginx');
      nginx = await startNginxHost(dist);
      mirror = mkdtempSync(join(tmpdir(), 'sync-static-'));
    }, 60_000);
    afterAll(async () => {
      for (const close of closers) await close();
      await nginx?.stop();
      if (mirror) rmSync(mirror, { recursive: true, force: true });
    });

    function sync() {
      const { fetchPage, close } = createPageFetcher({ from: nginx.baseUrl, backoffMs: 5 });
      closers.push(close);
      return runSync({ root: mirror, from: nginx.baseUrl, config: DEFAULT_CONFIG, validate: validateDocument, fetchPage, limit: 100 });
    }

    it('syncs incrementally: the second run asks only for what changed since the first', async () => {
      const first = await sync();
      expect(first.report.ok).toBe(true);
      expect(first.stats.added).toBeGreaterThan(0);
      const second = await sync();
      expect(second.report.ok).toBe(true);
      expect(second.stats).toMatchObject({ incremental: true, added: 0 });
      expect(second.stats.fetched).toBeLessThan(first.stats.fetched);
      expect(second.report.files.flatMap((f) => f.diagnostics.map((d) => d.code))).not.toContain('sync/updated-since-unsupported');
      expect(second.written).toEqual([]);
    });
  },
);
