/**
 * "Verified by whom" for domain namespaces: the build checks the signature file beside a version over
 * its exact bytes and says in `_meta` which key made it; the server page says it in words.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { publicKeyOf } from '../../scripts/sign/keys.ts';
import { serializeSignatureFile, signVersionFile } from '../../scripts/sign/signature-file.ts';
import { trustSignals } from '../../scripts/site/server-trust.ts';
import { domainKeyId } from '../../scripts/verify/verified-by.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

const META = 'io.github.mcp-static-registry/registry';
const FILE = 'servers/com.example/weather/1.1.0.json';

function sign(root: string, bytes: Uint8Array, name = 'com.example/weather', version = '1.1.0') {
  const { privateKey } = generateKeyPairSync('ed25519');
  const sig = signVersionFile(privateKey, { bytes, name, version, now: new Date('2026-12-01T10:00:00Z') });
  if (!sig.ok) throw new Error(sig.error);
  writeFileSync(join(root, `${FILE}.sig`), serializeSignatureFile(sig.value));
  const pub = publicKeyOf(privateKey);
  if (!pub.ok) throw new Error(pub.error);
  return pub.value.publicKey;
}

async function verificationOf(root: string): Promise<unknown> {
  const { dist } = await buildFixture(root);
  const doc = JSON.parse(readFileSync(join(dist, 'v0.1/entries/com.example@weather@1.1.0.json'), 'utf8')) as ServerResponse;
  return (doc._meta[META] as Record<string, unknown>).verification;
}

describe('verified by whom, for a domain namespace', () => {
  it('names the domain and the key whose signature over the exact bytes the build checked', async () => {
    const root = fixtureRoot();
    const publicKey = sign(root, readFileSync(join(root, FILE)));
    const verification = await verificationOf(root);
    expect(verification).toEqual({
      namespace: {
        kind: 'domain',
        domain: 'example.com',
        key: `v=MCPv1; k=ed25519; p=${publicKey}`,
        keyId: domainKeyId(publicKey),
        signedAt: '2026-12-01T10:00:00Z',
        checkedBy: 'build',
      },
    });
    expect(domainKeyId(publicKey)).toMatch(/^[0-9a-f]{16}$/);

    const signals = trustSignals({
      name: 'com.example/weather',
      namespace: 'com.example',
      publisher: { kind: 'domain', owner: 'com.example', domain: 'example.com', repositoryOwned: false },
      registryMeta: { verification },
    });
    const domainKey = signals.find((s) => s.label === 'Domain key');
    expect(domainKey?.text).toBe(
      `Signed for the domain example.com with the key ${domainKeyId(publicKey)}; this registry's build checked the signature over this version's exact bytes. That the domain publishes the key (v=MCPv1; k=ed25519; p=${publicKey}) was checked when the version was published.`,
    );
    expect(domainKey?.at).toBe('2026-12-01T10:00:00Z');
  });

  it('claims nothing for a signature over other bytes, or made for another version', async () => {
    const other = fixtureRoot();
    sign(other, new TextEncoder().encode('{"not":"the file"}'));
    expect(await verificationOf(other)).toBeUndefined();

    const reused = fixtureRoot();
    sign(reused, readFileSync(join(reused, FILE)), 'com.example/weather', '1.0.0');
    expect(await verificationOf(reused)).toBeUndefined();
  });

  it('claims nothing for an unsigned version', async () => {
    expect(await verificationOf(fixtureRoot())).toBeUndefined();
  });
});

describe('verified by whom, for a GitHub namespace', () => {
  it('names the account id recorded in registry/owners, and nothing without a record', async () => {
    const root = fixtureRoot();
    const { dist: before } = await buildFixture(root);
    const files = JSON.parse(readFileSync(join(before, 'v0.1/servers.json'), 'utf8')) as { servers: ServerResponse[] };
    const github = files.servers.find((s) => s.server.name.startsWith('io.github.'));
    if (!github) throw new Error('the fixture has no io.github server');
    const login = github.server.name.slice('io.github.'.length).split('/')[0] as string;
    const entry = (dist: string) =>
      (JSON.parse(readFileSync(join(dist, `v0.1/entries/${github.server.name.replace('/', '@')}@${github.server.version}.json`), 'utf8')) as ServerResponse)
        ._meta[META] as Record<string, unknown> | undefined;
    expect(entry(before)?.verification).toBeUndefined();

    mkdirSync(join(root, 'registry/owners'), { recursive: true });
    writeFileSync(join(root, `registry/owners/io.github.${login}.yaml`), 'accountId: 123456\n');
    const { dist } = await buildFixture(root, 'node', join(root, 'dist2'));
    const verification = entry(dist)?.verification;
    expect(verification).toEqual({ namespace: { kind: 'github', login, accountId: 123456, record: `registry/owners/io.github.${login}.yaml` } });
    const signals = trustSignals({
      name: github.server.name,
      namespace: `io.github.${login}`,
      publisher: { kind: 'github', owner: login, repositoryOwned: false },
      registryMeta: { verification },
    });
    expect(signals.find((s) => s.label === 'GitHub account id')?.text).toBe(
      `Published by the GitHub account ${login} (id 123456): this registry records the namespace io.github.${login} as that account, in registry/owners/io.github.${login}.yaml; GitHub never changes an account's id, even when its login is renamed.`,
    );
    // A record that keeps GitHub's type says user or organisation.
    const said = (accountType: string) =>
      trustSignals({
        name: github.server.name,
        namespace: `io.github.${login}`,
        publisher: { kind: 'github', owner: login, repositoryOwned: false },
        registryMeta: { verification: { namespace: { ...(verification as { namespace: object }).namespace, accountType } } },
      }).find((s) => s.label === 'GitHub account id')?.text;
    expect(said('Organization')).toMatch(new RegExp(`^Published by the GitHub organisation ${login} \\(id 123456\\): `));
    expect(said('User')).toMatch(new RegExp(`^Published by the GitHub user ${login} \\(id 123456\\): `));

    // The build carries the record's account type into _meta.
    writeFileSync(join(root, `registry/owners/io.github.${login}.yaml`), 'accountId: 123456\naccountType: Organization\n');
    const { dist: typed } = await buildFixture(root, 'node', join(root, 'dist3'));
    expect(entry(typed)?.verification).toEqual({
      namespace: { kind: 'github', login, accountId: 123456, accountType: 'Organization', record: `registry/owners/io.github.${login}.yaml` },
    });
  });
});
