/**
 * VS Code and Copilot read a registry without credentials, and a registry that answers 401 or 403
 * hides every server that is not built in. Every read a client makes (the API and clients/) must
 * answer 200 to anyone: without credentials and with credentials it does not know (a client may
 * forward a GitHub token), by `serve` and by nginx with the generated configuration.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { clientEmitter } from '../../scripts/emit/client-emitter.ts';
import { CLIENT_FILES } from '../../scripts/clients/client-outputs.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { API_EMITTERS, fixtureRoot, sortedPathDates } from '../fixtures/api/build-fixture.ts';
import { hasNginx, startNginxHost } from '../fixtures/api/nginx-process.ts';

const READS = [
  '/v0.1/servers',
  '/v0.1/servers?limit=1',
  '/v0/servers',
  '/v0.1/servers/com.example%2Fweather/versions/latest',
  ...Object.values(CLIENT_FILES).map((f) => `/${f}`),
];
const HEADERS: Record<string, string>[] = [
  {},
  { authorization: 'Bearer gho_not-a-token-this-registry-knows' },
  { authorization: 'Basic dXNlcjpwYXNz' },
  { cookie: 'session=x' },
];

async function dist(host: 'node' | 'nginx'): Promise<string> {
  const root = fixtureRoot();
  const out = join(root, 'dist');
  const result = await buildRegistry({
    root,
    config: structuredClone(DEFAULT_CONFIG),
    host,
    out,
    dates: sortedPathDates,
    emitters: [...API_EMITTERS, clientEmitter],
  });
  if (!result.written) throw new Error('fixture build failed');
  return out;
}

async function expectAnonymous(baseUrl: string): Promise<void> {
  const answers: string[] = [];
  for (const path of READS) {
    for (const headers of HEADERS) {
      const response = await fetch(`${baseUrl}${path}`, { headers });
      await response.arrayBuffer();
      answers.push(`${path} ${Object.keys(headers).join(',') || '-'} ${response.status}${response.headers.has('www-authenticate') ? ' www-authenticate' : ''}`);
    }
  }
  expect(answers.filter((a) => !a.endsWith(' 200'))).toEqual([]);
}

describe('registry reads are anonymous', () => {
  describe('by serve', () => {
    let stop: () => Promise<void>;
    let baseUrl: string;
    beforeAll(async () => {
      const d = await dist('node');
      const server = createRegistryServer({ dist: d, data: await loadApiData(d), port: 0, host: '127.0.0.1' });
      baseUrl = (await listen(server, 0, '127.0.0.1')).url;
      stop = () => new Promise<void>((done) => server.close(() => done()));
    });
    afterAll(() => stop?.());
    it('answers 200 to every read, with or without credentials', () => expectAnonymous(baseUrl));
  });

  describe.skipIf(!hasNginx())('by nginx with the generated configuration', () => {
    let nginx: { baseUrl: string; stop: () => Promise<void> };
    beforeAll(async () => {
      const d = await dist('nginx');
      nginx = await startNginxHost(d);
    });
    afterAll(() => nginx?.stop());
    it('answers 200 to every read, with or without credentials', () => expectAnonymous(nginx.baseUrl));
  });
});
