/** The verifier contract (verifier-contract.ts), run for each of the six package ecosystems against a real local server. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../../scripts/config/registry-config.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import { cargoVerifier } from '../../scripts/verify/packages/cargo.ts';
import { mcpbVerifier } from '../../scripts/verify/packages/mcpb.ts';
import { npmVerifier } from '../../scripts/verify/packages/npm.ts';
import { nugetVerifier } from '../../scripts/verify/packages/nuget.ts';
import { OCI_NAME_LABEL, ociVerifier } from '../../scripts/verify/packages/oci.ts';
import { pypiVerifier } from '../../scripts/verify/packages/pypi.ts';
import { packageVerifiers } from '../../scripts/verify/packages/registry.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { Handler } from '../helpers/http-server.ts';
import { startOciRegistry } from '../helpers/oci-registry.ts';
import { DOCKER_REGISTRY, hasSystemServer } from '../helpers/system-server.ts';
import { startVerdaccio } from '../helpers/verdaccio.ts';
import { OTHER_SERVER, SERVER_NAME, contractTypes, verifierContract } from './verifier-contract.ts';
import type { StartedEcosystem } from './verifier-contract.ts';

/** One plain HTTP server standing in for a registry; `endpoints` maps the server's origin into the config. */
async function httpEcosystem(handler: Handler, endpoints: (origin: string) => Partial<typeof DEFAULT_ENDPOINTS>): Promise<StartedEcosystem> {
  const server = await startHttpServer(handler);
  const http = createHttpClient({ trustedOrigins: [server.origin], timeoutMs: 5000 });
  return {
    services: { http, endpoints: { ...DEFAULT_ENDPOINTS, ...endpoints(server.origin) }, mcpbMaxBytes: 1024 * 1024 },
    async close() {
      await http.close();
      await server.close();
    },
  };
}

const notFound: Handler = (_req, res) => {
  res.statusCode = 404;
  res.end();
};

verifierContract({
  verifier: npmVerifier,
  async start() {
    const registry = await startVerdaccio();
    await registry.publish({ name: '@acme/weather', version: '1.0.0', mcpName: SERVER_NAME });
    await registry.publish({ name: 'other-weather', version: '1.0.0', mcpName: OTHER_SERVER });
    const http = createHttpClient({ trustedOrigins: [registry.origin], timeoutMs: 5000 });
    return {
      services: { http, endpoints: { ...DEFAULT_ENDPOINTS, npm: registry.origin }, mcpbMaxBytes: 0 },
      async close() {
        await http.close();
        await registry.close();
      },
    };
  },
  accepted: { identifier: '@acme/weather', version: '1.0.0' },
  namesAnotherServer: { pkg: { identifier: 'other-weather', version: '1.0.0' }, code: 'verify/npm-mcpname-mismatch' },
  versionMissing: { identifier: '@acme/weather', version: '9.9.9' },
  packageMissing: { identifier: '@acme/absent', version: '1.0.0' },
});

verifierContract({
  verifier: pypiVerifier,
  start: () =>
    httpEcosystem(
      (req, res) => {
        const readme = req.url === '/pypi/weather-mcp/1.0.0/json' ? SERVER_NAME : req.url === '/pypi/other-mcp/1.0.0/json' ? OTHER_SERVER : undefined;
        if (readme === undefined) return notFound(req, res);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ info: { description: `# Weather\n\nmcp-name: ${readme}\n` } }));
      },
      (origin) => ({ pypi: origin }),
    ),
  accepted: { identifier: 'weather-mcp', version: '1.0.0' },
  namesAnotherServer: { pkg: { identifier: 'other-mcp', version: '1.0.0' }, code: 'verify/pypi-mcp-name-missing' },
  versionMissing: { identifier: 'weather-mcp', version: '9.9.9' },
  packageMissing: { identifier: 'absent-mcp', version: '1.0.0' },
});

verifierContract({
  verifier: nugetVerifier,
  start: () =>
    httpEcosystem(
      (req, res) => {
        const m = /^\/v3-flatcontainer\/(acme\.weather|acme\.other)\/(index\.json|1\.0\.0\/readme)$/.exec(req.url ?? '');
        if (!m) return notFound(req, res);
        if (m[2] === 'index.json') return void res.end(JSON.stringify({ versions: ['1.0.0'] }));
        res.end(`Weather\n\nmcp-name: ${m[1] === 'acme.weather' ? SERVER_NAME : OTHER_SERVER}\n`);
      },
      (origin) => ({ nuget: `${origin}/v3/index.json` }),
    ),
  accepted: { identifier: 'Acme.Weather', version: '1.0.0' },
  namesAnotherServer: { pkg: { identifier: 'Acme.Other', version: '1.0.0' }, code: 'verify/nuget-mcp-name-missing' },
  versionMissing: { identifier: 'Acme.Weather', version: '9.9.9' },
  packageMissing: { identifier: 'Acme.Absent', version: '1.0.0' },
});

/**
 * crates.io as it answers: the readme endpoint points at the rendered HTML on the CDN for any
 * name and version, the CDN says 403 for what it does not have, and the crate API says 404.
 */
const cratesHandler: Handler = (req, res) => {
  const url = req.url ?? '';
  const origin = `http://${req.headers.host}`;
  const crates: Record<string, { versions: string[]; readme: string }> = {
    'weather-mcp': { versions: ['1.0.0'], readme: `<h1>Weather</h1>\n<p>mcp-name: ${SERVER_NAME}</p>\n` },
    'other-mcp': { versions: ['1.0.0'], readme: `<h1>Other</h1>\n<p>mcp-name: ${OTHER_SERVER}</p>\n` },
  };
  res.setHeader('content-type', 'application/json');
  const pointer = /^\/api\/v1\/crates\/([^/]+)\/([^/]+)\/readme$/.exec(url);
  if (pointer) return void res.end(JSON.stringify({ url: `${origin}/readmes/${pointer[1]}/${pointer[1]}-${pointer[2]}.html` }));
  const html = /^\/readmes\/([^/]+)\/\1-(.+)\.html$/.exec(url);
  if (html) {
    const crate = crates[html[1]!];
    if (!crate?.versions.includes(html[2]!)) {
      res.statusCode = 403;
      return void res.end('<Error><Code>AccessDenied</Code></Error>');
    }
    res.setHeader('content-type', 'text/html');
    return void res.end(crate.readme);
  }
  const api = /^\/api\/v1\/crates\/([^/]+)(?:\/([^/]+))?$/.exec(url);
  const crate = api ? crates[api[1]!] : undefined;
  if (crate && (api![2] === undefined || crate.versions.includes(api![2]))) return void res.end(JSON.stringify({ crate: { name: api![1] } }));
  notFound(req, res);
};

verifierContract({
  verifier: cargoVerifier,
  start: () => httpEcosystem(cratesHandler, (origin) => ({ cargo: origin })),
  accepted: { identifier: 'weather-mcp', version: '1.0.0' },
  namesAnotherServer: { pkg: { identifier: 'other-mcp', version: '1.0.0' }, code: 'verify/cargo-mcp-name-missing' },
  versionMissing: { identifier: 'weather-mcp', version: '9.9.9' },
  packageMissing: { identifier: 'absent-mcp', version: '1.0.0' },
});

verifierContract({
  verifier: ociVerifier,
  canRun: hasSystemServer(DOCKER_REGISTRY, 'the OCI verifier contract against docker-registry'),
  async start() {
    const registry = await startOciRegistry();
    await registry.pushImage('acme/weather', '1.0.0', { [OCI_NAME_LABEL]: SERVER_NAME });
    await registry.pushImage('acme/weather', 'other', { [OCI_NAME_LABEL]: OTHER_SERVER });
    const http = createHttpClient({ trustedOrigins: [registry.origin], timeoutMs: 5000 });
    return {
      services: { http, endpoints: { ...DEFAULT_ENDPOINTS, oci: registry.origin }, mcpbMaxBytes: 0 },
      async close() {
        await http.close();
        await registry.close();
      },
    };
  },
  accepted: { identifier: 'docker.io/acme/weather:1.0.0' },
  namesAnotherServer: { pkg: { identifier: 'docker.io/acme/weather:other' }, code: 'verify/oci-label-mismatch' },
  versionMissing: { identifier: 'docker.io/acme/weather:9.9.9' },
  packageMissing: { identifier: 'docker.io/acme/absent:1.0.0' },
});

// MCPB names no server: the bundle is bound by its SHA-256, so "another server's" package is another file.
const bundle = Buffer.from('PK\u0003\u0004 the weather bundle');
const otherBundle = Buffer.from('PK\u0003\u0004 somebody else\u2019s bundle');
const bundleSha = createHash('sha256').update(bundle).digest('hex');
const release = (path: string) => `https://github.com/acme/weather/releases/download/${path}`;

verifierContract({
  verifier: mcpbVerifier,
  start: () =>
    httpEcosystem(
      (req, res) => {
        if (req.url === '/acme/weather/releases/download/v1/weather.mcpb') return void res.end(bundle);
        if (req.url === '/acme/weather/releases/download/v1/other.mcpb') return void res.end(otherBundle);
        notFound(req, res);
      },
      (origin) => ({ http: origin }),
    ),
  accepted: { identifier: release('v1/weather.mcpb'), fileSha256: bundleSha },
  namesAnotherServer: { pkg: { identifier: release('v1/other.mcpb'), fileSha256: bundleSha }, code: 'verify/mcpb-sha256-mismatch' },
  versionMissing: { identifier: release('v2/weather.mcpb'), fileSha256: bundleSha },
  packageMissing: { identifier: 'https://github.com/acme/absent/releases/download/v1/absent.mcpb', fileSha256: bundleSha },
});

describe('the verifier contract', () => {
  it('runs for every package verifier, so a new one cannot skip it', () => {
    expect([...contractTypes].sort()).toEqual(Object.keys(packageVerifiers).sort());
  });
});
