import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../../scripts/config/registry-config.ts';
import type { Package } from '../../scripts/core/api-types.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { HttpClient } from '../../scripts/net/http-client.ts';
import { mcpbVerifier } from '../../scripts/verify/packages/mcpb.ts';
import { nugetVerifier } from '../../scripts/verify/packages/nuget.ts';
import type { PackageVerifier, VerifierServices } from '../../scripts/verify/packages/package-verifier.ts';
import { pypiVerifier } from '../../scripts/verify/packages/pypi.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

const NAME = 'io.github.acme/weather';
const bundle = Buffer.from('PK\u0003\u0004 a small mcpb bundle');
const bundleSha = createHash('sha256').update(bundle).digest('hex');

let pypi: StartedHttpServer;
let nuget: StartedHttpServer;
let files: StartedHttpServer;
let http: HttpClient;
let services: VerifierServices;
let flakyHits = 0;

beforeAll(async () => {
  pypi = await startHttpServer((req, res) => {
    const json = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (req.url === '/pypi/weather-mcp/1.0.0/json') return json({ info: { description: `# Weather\n\nmcp-name: ${NAME}\n` } });
    if (req.url === '/pypi/hidden-mcp/1.0.0/json') return json({ info: { description: `<!-- mcp-name: ${NAME} -->` } });
    if (req.url === '/pypi/longer-mcp/1.0.0/json') return json({ info: { description: `mcp-name: ${NAME}-extended` } });
    if (req.url === '/pypi/flaky-mcp/1.0.0/json') {
      flakyHits += 1;
      if (flakyHits === 1) {
        res.statusCode = 500;
        return void res.end();
      }
      return json({ info: { description: `mcp-name: ${NAME}` } });
    }
    if (req.url === '/pypi/slow-mcp/1.0.0/json') return; // hangs
    res.statusCode = 404;
    res.end('{"message": "Not Found"}');
  });
  nuget = await startHttpServer((req, res) => {
    if (req.url === '/v3-flatcontainer/acme.weather/index.json') return void res.end(JSON.stringify({ versions: ['1.0.0', '1.1.0'] }));
    if (req.url === '/v3-flatcontainer/acme.weather/1.0.0/readme') return void res.end(`Weather\n\nmcp-name: ${NAME}\n`);
    if (req.url === '/v3-flatcontainer/acme.weather/1.1.0/readme') return void res.end('Weather, no name\n');
    res.statusCode = 404;
    res.end();
  });
  files = await startHttpServer((req, res) => {
    if (req.headers.host !== 'github.com') {
      res.statusCode = 421;
      return void res.end();
    }
    if (req.url === '/acme/weather/releases/download/v1/weather.mcpb') return void res.end(bundle);
    if (req.url === '/acme/weather/releases/download/v1/huge.mcpb') {
      res.writeHead(200, { 'content-length': String(2 * 1024 ** 3) });
      return void res.write(Buffer.alloc(1024));
    }
    if (req.url === '/acme/weather/releases/download/v1/endless.mcpb') {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      return void pump();
    }
    if (req.url === '/acme/weather/releases/download/v1/moved.mcpb') {
      res.writeHead(302, { location: 'http://github.com/acme/weather/releases/download/v1/weather.mcpb' });
      return void res.end();
    }
    res.statusCode = 404;
    res.end();
  });
  http = createHttpClient({ trustedOrigins: [pypi.origin, nuget.origin, files.origin], timeoutMs: 500, retries: 2, backoffMs: 10 });
  services = {
    http,
    endpoints: { ...DEFAULT_ENDPOINTS, pypi: pypi.origin, nuget: `${nuget.origin}/v3/index.json`, http: files.origin },
    mcpbMaxBytes: 1024 * 1024,
  };
});

afterAll(async () => {
  await http.close();
  await Promise.all([pypi.close(), nuget.close(), files.close()]);
});

async function codes(verifier: PackageVerifier, pkg: Omit<Package, 'transport' | 'registryType'>): Promise<string[]> {
  const found = await verifier.verify(
    { pkg: { registryType: verifier.registryType, transport: { type: 'stdio' }, ...pkg }, serverName: NAME, pointer: '/packages/0' },
    services,
  );
  return found.map((d) => d.code);
}

describe('PyPI verifier', () => {
  it('accepts a release whose README names the server', async () => {
    expect(await codes(pypiVerifier, { identifier: 'weather-mcp', version: '1.0.0' })).toEqual([]);
  });

  it('does not count a name inside an HTML comment', async () => {
    expect(await codes(pypiVerifier, { identifier: 'hidden-mcp', version: '1.0.0' })).toEqual(['verify/pypi-mcp-name-missing']);
  });

  it('does not count a longer name that starts with the server name', async () => {
    expect(await codes(pypiVerifier, { identifier: 'longer-mcp', version: '1.0.0' })).toEqual(['verify/pypi-mcp-name-missing']);
  });

  it('reports a release that does not exist', async () => {
    expect(await codes(pypiVerifier, { identifier: 'weather-mcp', version: '9.0.0' })).toEqual(['verify/package-version-missing']);
  });

  it('gets past a 500 followed by a 200', async () => {
    expect(await codes(pypiVerifier, { identifier: 'flaky-mcp', version: '1.0.0' })).toEqual([]);
  });

  it('reports a registry that hangs as unreachable, naming the URL', async () => {
    const found = await pypiVerifier.verify(
      { pkg: { registryType: 'pypi', identifier: 'slow-mcp', version: '1.0.0', transport: { type: 'stdio' } }, serverName: NAME, pointer: '/packages/0' },
      services,
    );
    expect(found.map((d) => d.code)).toEqual(['verify/service-unreachable']);
    expect(found[0]!.message).toContain(`${pypi.origin}/pypi/slow-mcp/1.0.0/json`);
  });
});

describe('NuGet verifier', () => {
  it('accepts a version whose README names the server', async () => {
    expect(await codes(nugetVerifier, { identifier: 'Acme.Weather', version: '1.0.0' })).toEqual([]);
  });

  it('reports a README without the name', async () => {
    expect(await codes(nugetVerifier, { identifier: 'Acme.Weather', version: '1.1.0' })).toEqual(['verify/nuget-mcp-name-missing']);
  });

  it('reports a version that is not listed', async () => {
    expect(await codes(nugetVerifier, { identifier: 'Acme.Weather', version: '2.0.0' })).toEqual(['verify/package-version-missing']);
  });
});

describe('MCPB verifier', () => {
  const url = (file: string) => `https://github.com/acme/weather/releases/download/v1/${file}`;

  it('accepts a bundle whose SHA-256 matches fileSha256', async () => {
    expect(await codes(mcpbVerifier, { identifier: url('weather.mcpb'), fileSha256: bundleSha })).toEqual([]);
  });

  it('reports a bundle whose SHA-256 differs', async () => {
    expect(await codes(mcpbVerifier, { identifier: url('weather.mcpb'), fileSha256: 'a'.repeat(64) })).toEqual(['verify/mcpb-sha256-mismatch']);
  });

  it('refuses a 2 GB bundle without downloading it', async () => {
    expect(await codes(mcpbVerifier, { identifier: url('huge.mcpb'), fileSha256: bundleSha })).toEqual(['verify/mcpb-too-large']);
  });

  it('stops a download that grows past the cap', async () => {
    expect(await codes(mcpbVerifier, { identifier: url('endless.mcpb'), fileSha256: bundleSha })).toEqual(['verify/mcpb-too-large']);
  });

  it('refuses a redirect to plain http', async () => {
    expect(await codes(mcpbVerifier, { identifier: url('moved.mcpb'), fileSha256: bundleSha })).toEqual(['verify/url-refused']);
  });

  it('reports a bundle that is not there', async () => {
    expect(await codes(mcpbVerifier, { identifier: url('missing.mcpb'), fileSha256: bundleSha })).toEqual(['verify/package-version-missing']);
  });
});
