import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOver } from '../../scripts/net/fetch-adapter.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { HttpClient } from '../../scripts/net/http-client.ts';
import { createOctokit, verifyGitHubOwner } from '../../scripts/verify/github-owner.ts';
import type { GitHubOwnerServices } from '../../scripts/verify/github-owner.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

/** A local stand-in for the GitHub REST API: two users and one organisation. */
const accounts: Record<string, 'User' | 'Organization'> = { octocat: 'User', mona: 'User', acme: 'Organization', initech: 'Organization' };
/** Organisations whose roles GitHub hides from the token the tests use (it is not a member there). */
const hiddenRoles = new Set(['initech']);
const memberships: Record<string, { state: string; role: string }> = {
  'acme/octocat': { state: 'active', role: 'admin' },
  'acme/mona': { state: 'active', role: 'member' },
};

let api: StartedHttpServer;
let http: HttpClient;
let services: GitHubOwnerServices;

beforeAll(async () => {
  api = await startHttpServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const user = /^\/users\/([^/]+)$/.exec(req.url ?? '');
    const membership = /^\/orgs\/([^/]+)\/memberships\/([^/]+)$/.exec(req.url ?? '');
    if (user) {
      const type = accounts[user[1]!.toLowerCase()];
      if (type) return void res.end(JSON.stringify({ login: user[1], type }));
    }
    if (membership && hiddenRoles.has(membership[1]!.toLowerCase())) {
      res.statusCode = 403;
      return void res.end(JSON.stringify({ message: `You must be a member of ${membership[1]} to see membership information for ${membership[2]}.` }));
    }
    if (membership) {
      const m = memberships[`${membership[1]!.toLowerCase()}/${membership[2]!.toLowerCase()}`];
      if (m) return void res.end(JSON.stringify(m));
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ message: 'Not Found' }));
  });
  http = createHttpClient({ trustedOrigins: [api.origin], timeoutMs: 2000 });
  services = { octokit: createOctokit(api.origin, fetchOver(http), undefined) };
});

afterAll(async () => {
  await http.close();
  await api.close();
});

async function codes(owner: string, author: string | undefined): Promise<string[]> {
  return (await verifyGitHubOwner(`io.github.${owner}/weather`, owner, author, services)).map((d) => d.code);
}

describe('GitHub namespace ownership', () => {
  it('lets a user publish under their own login, whatever the case', async () => {
    expect(await codes('octocat', 'OctoCat')).toEqual([]);
  });

  it("refuses a user publishing under another user's login", async () => {
    expect(await codes('octocat', 'mona')).toEqual(['verify/github-namespace-not-yours']);
  });

  it('lets an Owner of an organisation publish under it', async () => {
    expect(await codes('acme', 'octocat')).toEqual([]);
  });

  it('refuses a member of an organisation who is not an Owner', async () => {
    expect(await codes('acme', 'mona')).toEqual(['verify/github-not-org-owner']);
  });

  it('refuses someone outside the organisation', async () => {
    expect(await codes('acme', 'stranger')).toEqual(['verify/github-not-org-owner']);
  });

  it('says the role is hidden, not that the author is no Owner, when GitHub refuses to show it (403)', async () => {
    const found = await verifyGitHubOwner('io.github.initech/weather', 'initech', 'octocat', services);
    expect(found.map((d) => d.code)).toEqual(['verify/github-org-role-hidden']);
    expect(found[0]!.message).toMatch(/403.*a maintainer confirms/);
  });

  it('reports a namespace whose account does not exist', async () => {
    expect(await codes('ghost', 'octocat')).toEqual(['verify/github-owner-missing']);
  });

  it('asks for --author when the author is unknown', async () => {
    expect(await codes('octocat', undefined)).toEqual(['verify/github-author-unknown']);
  });
});
