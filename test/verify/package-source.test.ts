import type { Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_ENDPOINTS } from '../../scripts/config/registry-config.ts';
import type { Package, ServerJson } from '../../scripts/core/api-types.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { HttpClient } from '../../scripts/net/http-client.ts';
import { ociVerifier } from '../../scripts/verify/packages/oci.ts';
import { verifyEntry } from '../../scripts/verify/verify-entry.ts';
import { createVerifyServices } from '../../scripts/verify/verify-services.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

const NAME = 'io.github.acme/tool';

/** Stands in for evil.example.com: counts every connection made to it. */
let evil: StartedHttpServer;
let connections = 0;
/** Every name the client tried to resolve; only evil.example.com resolves (to the server above). */
const asked: string[] = [];

async function lookup(hostname: string) {
  asked.push(hostname);
  if (hostname === 'evil.example.com') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
}

let http: HttpClient;

beforeAll(async () => {
  evil = await startHttpServer((_req, res) => void res.end('{}'));
  evil.server.on('connection', (_socket: Socket) => {
    connections += 1;
  });
  // Trusting the bare host lets the SSRF guard through, so only the verifier's own check stands in the way.
  http = createHttpClient({ trustedOrigins: ['evil.example.com'], lookup, retries: 0, timeoutMs: 2000 });
});

afterAll(async () => {
  await http.close();
  await evil.close();
});

beforeEach(() => {
  connections = 0;
  asked.length = 0;
});

const oci = (identifier: string, extra: Partial<Package> = {}): Package => ({ registryType: 'oci', identifier, transport: { type: 'stdio' }, ...extra });

async function ociCodes(pkg: Package): Promise<string[]> {
  const found = await ociVerifier.verify({ pkg, serverName: NAME, pointer: '/packages/0' }, { http, endpoints: DEFAULT_ENDPOINTS, mcpbMaxBytes: 0 });
  return found.map((d) => d.code);
}

describe('the OCI verifier contacts the registry validation checked', () => {
  it('fetches nothing when the identifier names another registry than registryBaseUrl', async () => {
    const codes = await ociCodes(oci(`evil.example.com:${evil.port}/acme/tool:1.0.0`, { registryBaseUrl: 'https://ghcr.io' }));
    expect(codes).toEqual(['verify/oci-registry-mismatch']);
    expect(asked).toEqual([]);
    expect(connections).toBe(0);
  });

  it('asks the registry an older file names for an identifier without a host, not Docker Hub', async () => {
    await ociCodes(oci('acme/tool', { registryBaseUrl: 'https://ghcr.io', version: '1.0.0' }));
    expect(asked).toEqual(['ghcr.io']);
  });

  it('asks registry-1.docker.io for any of Docker Hub’s names', async () => {
    await ociCodes(oci('index.docker.io/acme/tool:1.0.0', { registryBaseUrl: 'https://docker.io' }));
    await ociCodes(oci('acme/tool:1.0.0'));
    expect(asked).toEqual(['registry-1.docker.io', 'registry-1.docker.io']);
  });
});

describe('verifying an entry that skipped validation', () => {
  function entry(packages: Package[]) {
    const server: ServerJson = { name: NAME, description: 'A tool.', version: '1.0.0', packages };
    return { path: `servers/${NAME}/1.0.0.json`, server, bytes: Buffer.from(JSON.stringify(server)), signatureText: undefined };
  }

  it('contacts no package source the allow-list does not name', async () => {
    // published: GitHub ownership is not asked again, so the only requests would be the packages'.
    const services = createVerifyServices(DEFAULT_CONFIG, { published: true, http: { trustedOrigins: ['evil.example.com'], lookup, retries: 0 } });
    try {
      const found = await verifyEntry(
        entry([
          oci(`evil.example.com:${evil.port}/acme/tool:1.0.0`),
          { registryType: 'mcpb', identifier: `https://evil.example.com:${evil.port}/tool.mcpb`, fileSha256: 'a'.repeat(64), transport: { type: 'stdio' } },
          {
            registryType: 'mcpb',
            identifier: `https://github.com:${evil.port}/acme/tool/releases/download/v1/tool.mcpb`,
            fileSha256: 'a'.repeat(64),
            transport: { type: 'stdio' },
          },
          { registryType: 'npm', registryBaseUrl: `https://evil.example.com:${evil.port}`, identifier: 'tool', version: '1.0.0', transport: { type: 'stdio' } },
        ]),
        services,
      );
      expect(found.map((d) => `${d.code} ${d.pointer}`)).toEqual([
        'verify/registry-not-allowed /packages/0/identifier',
        'verify/registry-not-allowed /packages/1/identifier',
        'verify/registry-not-allowed /packages/2/identifier',
        'verify/registry-not-allowed /packages/3/registryBaseUrl',
      ]);
      expect(asked).toEqual([]);
      expect(connections).toBe(0);
    } finally {
      await services.close();
    }
  });
});
