import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { HttpClient } from '../../scripts/net/http-client.ts';
import { keyRecord, publicKeyOf } from '../../scripts/sign/keys.ts';
import { serializeSignatureFile, signVersionFile } from '../../scripts/sign/signature-file.ts';
import { verifyDomainOwner } from '../../scripts/verify/domain-owner.ts';
import type { DomainProofInput } from '../../scripts/verify/domain-owner.ts';
import { createResolver } from '../../scripts/verify/verify-services.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { StartedDnsServer } from '../helpers/dns-server.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

const now = new Date('2026-11-24T10:00:00Z');
const ed = generateKeyPairSync('ed25519').privateKey;
const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
const stranger = generateKeyPairSync('ed25519').privateKey;

function record(key: KeyObject): string {
  const pub = publicKeyOf(key);
  if (!pub.ok) throw new Error(pub.error);
  return keyRecord(pub.value);
}

let dns: StartedDnsServer;
let web: StartedHttpServer;
let http: HttpClient;

beforeAll(async () => {
  const junk = Array.from({ length: 300 }, (_, i) => `junk-${i}-${'x'.repeat(90)}`);
  dns = await startDnsServer({
    txt: {
      'right.example.com': [[record(ed)]],
      'wrong.example.com': [[record(stranger)]],
      'several.example.com': [['v=spf1 -all'], [record(stranger)], [record(p384)]],
      'none.example.com': [['v=spf1 -all']],
      'parent.example.com': [[record(ed)]],
      'huge.example.com': [junk],
      'crowded.example.com': Array.from({ length: 40 }, () => [record(generateKeyPairSync('ed25519').privateKey)]),
    },
    silent: ['hangs.example.com'],
  });
  web = await startHttpServer((req, res) => {
    if (req.headers.host === 'web.example.com' && req.url === '/.well-known/mcp-registry-auth') {
      res.end(`${record(ed)}\n`);
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  http = createHttpClient({ trustedOrigins: [web.origin], timeoutMs: 2000 });
});

afterAll(async () => {
  await http.close();
  await web.close();
  await dns.close();
});

function input(domain: string, key: KeyObject, overrides: Partial<DomainProofInput> = {}, signedAt = now): DomainProofInput {
  const name = `${domain.split('.').reverse().join('.')}/weather`;
  const bytes = Buffer.from(`${JSON.stringify({ name, version: '1.0.0' })}\n`);
  const signed = signVersionFile(key, { bytes, name, version: '1.0.0', now: signedAt });
  if (!signed.ok) throw new Error(signed.error);
  return {
    path: `servers/${name}/1.0.0.json`,
    bytes,
    name,
    version: '1.0.0',
    domain,
    signatureText: serializeSignatureFile(signed.value),
    now,
    maxAgeMs: 30 * 86_400_000,
    ...overrides,
  };
}

async function codes(i: DomainProofInput): Promise<string[]> {
  const found = await verifyDomainOwner(i, { http, resolver: createResolver(dns.endpoint), httpOverride: web.origin });
  return found.map((d) => d.code);
}

describe('domain namespace ownership', () => {
  it('accepts a signature made with the key in the domain TXT record', async () => {
    expect(await codes(input('right.example.com', ed))).toEqual([]);
  });

  it('accepts a P-384 key among several TXT records', async () => {
    expect(await codes(input('several.example.com', p384))).toEqual([]);
  });

  it('accepts a subdomain namespace signed with the parent domain key', async () => {
    expect(await codes(input('sub.parent.example.com', ed))).toEqual([]);
  });

  it('accepts the key published at the well-known URL', async () => {
    expect(await codes(input('web.example.com', ed))).toEqual([]);
  });

  it('names the published keys when the signature was made with another one', async () => {
    const found = await verifyDomainOwner(input('wrong.example.com', ed), { http, resolver: createResolver(dns.endpoint), httpOverride: web.origin });
    expect(found.map((d) => d.code)).toEqual(['verify/domain-key-not-published']);
    expect(found[0]!.message).toMatch(/publishes only ed25519:/);
  });

  it('tells the author which record to publish when the domain has no key', async () => {
    const found = await verifyDomainOwner(input('none.example.com', ed), { http, resolver: createResolver(dns.endpoint), httpOverride: web.origin });
    expect(found.map((d) => d.code)).toEqual(['verify/domain-key-missing']);
    expect(found[0]!.message).toContain(record(ed));
  });

  it('reads a TXT answer of 300 strings and still ends with a clear result', async () => {
    expect(await codes(input('huge.example.com', ed))).toEqual(['verify/domain-key-missing']);
  });

  it('refuses a domain with more key records than the limit', async () => {
    expect(await codes(input('crowded.example.com', ed))).toEqual(['verify/domain-key-unavailable']);
  });

  it('ends with a diagnostic when the DNS server never answers', async () => {
    const started = Date.now();
    const found = await verifyDomainOwner(input('hangs.example.com', ed), {
      http,
      resolver: createResolver(dns.endpoint, 300),
      httpOverride: web.origin,
    });
    expect(found.map((d) => d.code)).toEqual(['verify/domain-key-unavailable']);
    expect(found[0]!.message).toMatch(/DNS query for TXT hangs\.example\.com failed \(ETIMEOUT\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('names the record to publish when no location could be read', async () => {
    const found = await verifyDomainOwner(input('hangs.example.com', ed), {
      http,
      resolver: createResolver(dns.endpoint, 300),
      httpOverride: web.origin,
    });
    expect(found[0]!.message).toContain(`the key to publish for this signature is \`${record(ed)}\``);
  });

  it('rejects a signature over different bytes', async () => {
    const i = input('right.example.com', ed);
    expect(await codes({ ...i, bytes: Buffer.from(i.bytes.toString().replace('1.0.0', '1.0.0 ')) })).toEqual(['verify/domain-signature-bytes-mismatch']);
  });

  it('rejects an expired signature', async () => {
    const old = new Date(now.getTime() - 40 * 86_400_000);
    expect(await codes(input('right.example.com', ed, {}, old))).toEqual(['verify/domain-signature-expired']);
  });

  it('rejects a signature reused from another version', async () => {
    const other = input('right.example.com', ed);
    const next = input('right.example.com', ed);
    const bytes = Buffer.from(next.bytes.toString().replace('1.0.0', '1.0.1'));
    expect(await codes({ ...next, version: '1.0.1', bytes, signatureText: other.signatureText })).toEqual(['verify/domain-signature-reused']);
  });

  it('asks for a signature file when there is none', async () => {
    expect(await codes(input('right.example.com', ed, { signatureText: undefined }))).toEqual(['verify/domain-signature-missing']);
  });
});
