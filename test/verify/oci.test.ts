import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../../scripts/config/registry-config.ts';
import { ociSource } from '../../scripts/core/package-source.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { HttpClient } from '../../scripts/net/http-client.ts';
import { OCI_NAME_LABEL, ociVerifier } from '../../scripts/verify/packages/oci.ts';
import { registryApiHost } from '../../scripts/verify/packages/oci-reference.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';
import { startOciRegistry } from '../helpers/oci-registry.ts';
import type { StartedOciRegistry } from '../helpers/oci-registry.ts';
import { DOCKER_REGISTRY, hasSystemServer } from '../helpers/system-server.ts';

const NAME = 'io.github.acme/weather';

let registry: StartedOciRegistry;
/** Stands in for Docker Hub's token service: answers 401 with a Bearer challenge, then proxies. */
let gate: StartedHttpServer;
let http: HttpClient;
let tokensIssued = 0;

const canRun = hasSystemServer(DOCKER_REGISTRY, 'the OCI verifier against docker-registry');

beforeAll(async () => {
  if (!canRun) return;
  registry = await startOciRegistry();
  await registry.pushImage('acme/weather', '1.0.0', { [OCI_NAME_LABEL]: NAME });
  await registry.pushImage('acme/weather', 'unlabelled', undefined);
  await registry.pushImage('acme/weather', 'other', { [OCI_NAME_LABEL]: 'io.github.someone/else' });
  const amd = await registry.pushImage('acme/multi', 'amd64', { [OCI_NAME_LABEL]: NAME }, 'amd64');
  const arm = await registry.pushImage('acme/multi', 'arm64', { [OCI_NAME_LABEL]: NAME }, 'arm64');
  const armBare = await registry.pushImage('acme/multi', 'arm64-bare', undefined, 'arm64');
  await registry.pushIndex('acme/multi', '1.0.0', [amd, arm]);
  await registry.pushIndex('acme/multi', 'mixed', [amd, armBare]);

  gate = await startHttpServer((req, res) => {
    if (req.url?.startsWith('/token')) {
      const url = new URL(req.url, 'http://x');
      if (url.searchParams.get('scope') !== 'repository:acme/weather:pull' || url.searchParams.get('service') !== 'test-registry') {
        res.statusCode = 400;
        return void res.end();
      }
      tokensIssued += 1;
      return void res.end(JSON.stringify({ token: 'anonymous-pull-token' }));
    }
    if (req.headers.authorization !== 'Bearer anonymous-pull-token') {
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="${gate.origin}/token",service="test-registry",scope="repository:acme/weather:pull"`,
      });
      return void res.end();
    }
    const upstream = httpRequest(`${registry.origin}${req.url}`, { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.end();
  });
  http = createHttpClient({ trustedOrigins: [registry.origin, gate.origin], timeoutMs: 5000 });
}, 60_000);

afterAll(async () => {
  await http?.close();
  await gate?.close();
  await registry?.close();
});

async function codes(identifier: string, endpoint = registry.origin): Promise<string[]> {
  const found = await ociVerifier.verify(
    { pkg: { registryType: 'oci', identifier, transport: { type: 'stdio' } }, serverName: NAME, pointer: '/packages/0' },
    { http, endpoints: { ...DEFAULT_ENDPOINTS, oci: endpoint }, mcpbMaxBytes: 0 },
  );
  return found.map((d) => d.code);
}

describe.skipIf(!canRun)('OCI verifier against docker-registry', () => {
  it('accepts an image whose config carries the server name label', async () => {
    expect(await codes('docker.io/acme/weather:1.0.0')).toEqual([]);
  });

  it('reports an image without the label', async () => {
    expect(await codes('docker.io/acme/weather:unlabelled')).toEqual(['verify/oci-label-missing']);
  });

  it('reports an image labelled for another server', async () => {
    expect(await codes('docker.io/acme/weather:other')).toEqual(['verify/oci-label-mismatch']);
  });

  it('reports a tag that was never pushed', async () => {
    expect(await codes('docker.io/acme/weather:9.9.9')).toEqual(['verify/package-version-missing']);
  });

  it('accepts a multi-arch index whose every image carries the label', async () => {
    expect(await codes('ghcr.io/acme/multi:1.0.0')).toEqual([]);
  });

  it('reports a multi-arch index with one image missing the label', async () => {
    expect(await codes('ghcr.io/acme/multi:mixed')).toEqual(['verify/oci-label-missing']);
  });

  it('fetches an anonymous bearer token when the registry asks for one', async () => {
    tokensIssued = 0;
    expect(await codes('docker.io/acme/weather:1.0.0', gate.origin)).toEqual([]);
    expect(tokensIssued).toBe(1);
  });
});

describe('image references', () => {
  it('puts single-name Docker Hub images under library/ on registry-1.docker.io', () => {
    expect(ociSource('nginx:1.27', undefined)).toEqual({ ok: true, value: { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' } });
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
  });

  it('keeps a registry host with a port apart from the tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(ociSource(`localhost:5000/team/app@${digest}`, undefined)).toEqual({
      ok: true,
      value: { registry: 'localhost:5000', repository: 'team/app', digest },
    });
  });
});
