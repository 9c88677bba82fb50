import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRegistryPr } from '../../scripts/author/open-pr.ts';
import { planPublication, type PublishPlan } from '../../scripts/author/publish-plan.ts';
import { parseRegistryConfig } from '../../scripts/config/registry-config.ts';
import { createGitHubClient } from '../../scripts/net/github-client.ts';
import { ownerPath, parseOwnerFile, serializeOwnerFile } from '../../scripts/state/owner-file.ts';
import { type FakeGitHub, startFakeGitHub } from '../fixtures/github/fake-github.ts';
import { serverJson } from '../fixtures/github/git-repo.ts';

const config = parseRegistryConfig(undefined);

function plan(name: string): PublishPlan {
  const r = planPublication(serverJson(name, '1.0.0'), { config, label: 'server.json' });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

describe('owner records', () => {
  it('read a record without accountType (written before it was kept), and refuse an unknown type', () => {
    expect(parseOwnerFile('accountId: 42\n', 'Bob').value).toEqual({ login: 'bob', accountId: 42 });
    expect(parseOwnerFile(serializeOwnerFile({ login: 'acme', accountId: 5, accountType: 'Organization' }), 'acme').value).toEqual({
      login: 'acme',
      accountId: 5,
      accountType: 'Organization',
    });
    expect(parseOwnerFile('accountId: 42\naccountType: Bot\n', 'bob').diagnostics.map((d) => d.code)).toEqual(['lifecycle/shape']);
  });
});

describe('publishing records the GitHub account id behind the namespace', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub();
    gh.tokens.set('alice-pat', 'alice');
    gh.accountIds.set('alice', 1001);
  });
  afterEach(() => gh.close());
  const client = () => createGitHubClient({ baseUrl: gh.url, token: 'alice-pat', sleep: async () => {} });
  const branchFiles = (p: PublishPlan) => gh.repos.get('alice/registry')?.branches.get(p.branch);

  it('adds registry/owners/io.github.alice.yaml with the token owner’s id to a first publication', async () => {
    gh.addRepo('reg/registry', { files: { 'README.md': 'x\n' } });
    const p = plan('io.github.alice/weather');
    expect(await openRegistryPr(client(), p, { registry: 'reg/registry' })).toMatchObject({ status: 'created' });
    const text = branchFiles(p)?.get(ownerPath('alice'));
    expect(text).toBeDefined();
    expect(gh.calls.some((c) => c.method === 'PUT' && c.path.includes('/contents/registry/owners/io.github.alice.yaml'))).toBe(true);
    // GitHub calls the token owner a User, and the record keeps it: the site says "GitHub user".
    expect(parseOwnerFile(text ?? '', 'alice').value).toEqual({ login: 'alice', accountId: 1001, accountType: 'User' });
  });

  it('adds none when the registry already has one, or for a namespace that is not the token owner’s login', async () => {
    gh.addRepo('reg/registry', { files: { 'README.md': 'x\n', [ownerPath('alice')]: serializeOwnerFile({ login: 'alice', accountId: 1001 }) } });
    const own = plan('io.github.alice/weather');
    await openRegistryPr(client(), own, { registry: 'reg/registry' });
    expect(branchFiles(own)?.has(own.path)).toBe(true);
    const writesOwner = () => gh.calls.some((c) => c.method === 'PUT' && c.path.includes('/contents/registry/owners/'));
    expect(writesOwner()).toBe(false);
    const org = plan('io.github.acme/tool');
    await openRegistryPr(client(), org, { registry: 'reg/registry' });
    expect(branchFiles(org)?.has(org.path)).toBe(true);
    expect(writesOwner()).toBe(false);
  });

  it('adds the organisation’s own id and type to a first publication under io.github.<org>', async () => {
    gh.accountIds.set('acme', 5005);
    gh.organizations.add('acme');
    gh.addRepo('reg/registry', { files: { 'README.md': 'x\n' } });
    const p = plan('io.github.acme/tool');
    await openRegistryPr(client(), p, { registry: 'reg/registry' });
    expect(parseOwnerFile(branchFiles(p)?.get(ownerPath('acme')) ?? '', 'acme').value).toEqual({ login: 'acme', accountId: 5005, accountType: 'Organization' });
    // Another user's namespace gets none: only an organisation's record is the publisher's to add.
    gh.accountIds.set('bob', 2002);
    const other = plan('io.github.bob/tool');
    await openRegistryPr(client(), other, { registry: 'reg/registry' });
    expect(branchFiles(other)?.has(ownerPath('bob'))).toBe(false);
  });

  it('adds none when GitHub does not say the account id', async () => {
    gh.accountIds.clear();
    gh.addRepo('reg/registry', { files: { 'README.md': 'x\n' } });
    const p = plan('io.github.alice/weather');
    await openRegistryPr(client(), p, { registry: 'reg/registry' });
    expect(branchFiles(p)?.has(p.path)).toBe(true);
    expect(branchFiles(p)?.has(ownerPath('alice'))).toBe(false);
  });
});
