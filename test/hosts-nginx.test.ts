import { describe } from 'vitest';
import { buildFixture, fixtureRoot } from './fixtures/api/build-fixture.ts';
import { describeHostContract } from './fixtures/api/host-contract.ts';
import { hasNginx, startNginx } from './fixtures/api/nginx-process.ts';

describe.skipIf(!hasNginx())('Debian nginx serving build --host nginx', () => {
  describeHostContract(
    'nginx',
    async () => {
      const { dist } = await buildFixture(fixtureRoot(120), 'nginx');
      const nginx = await startNginx(dist, `include ${dist}/_nginx/http.conf;`, `include ${dist}/_nginx/server.conf;`);
      return { ...nginx, dist };
    },
    ['filters', 'error-values', 'foreign-cursor'],
  );
});
