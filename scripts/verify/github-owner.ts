/**
 * GitHub namespaces: `io.github.<user>/…` belongs to that user; `io.github.<org>/…` to the
 * Owners (admin role) of that organisation. The author is the pull request's author.
 * Logins compare case-insensitively.
 */
import { Octokit } from '@octokit/rest';
import type { Diagnostic } from '../core/diagnostics.ts';
import { finding } from './finding.ts';

export interface GitHubOwnerServices {
  octokit: Octokit;
}

export function createOctokit(baseUrl: string, fetchImpl: typeof fetch, token: string | undefined): Octokit {
  return new Octokit({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    request: { fetch: fetchImpl, retries: 0 },
    ...(token ? { auth: token } : {}),
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

export async function verifyGitHubOwner(serverName: string, owner: string, author: string | undefined, services: GitHubOwnerServices): Promise<Diagnostic[]> {
  if (!author) {
    return [
      finding(
        'github-author-unknown',
        `${serverName} is in the io.github.${owner} namespace, but no author is known; pass --author LOGIN (the pull request's author)`,
        '/name',
      ),
    ];
  }
  const login = author.toLowerCase();
  if (login === owner) return [];
  let type: string;
  try {
    const { data } = await services.octokit.rest.users.getByUsername({ username: owner });
    type = data.type;
  } catch (error) {
    if (statusOf(error) === 404) {
      return [finding('github-owner-missing', `the GitHub account '${owner}' does not exist; use your own namespace io.github.${login}`, '/name')];
    }
    return [finding('service-unreachable', `cannot look up GitHub account '${owner}': ${(error as Error).message}`, '/name')];
  }
  if (type !== 'Organization') {
    return [finding('github-namespace-not-yours', `io.github.${owner} belongs to the GitHub user ${owner}, not to ${author}; use io.github.${login}`, '/name')];
  }
  try {
    const { data } = await services.octokit.rest.orgs.getMembershipForUser({ org: owner, username: author });
    if (data.state === 'active' && data.role === 'admin') return [];
  } catch (error) {
    const status = statusOf(error);
    // GitHub shows a member's role only to members of the organisation (403 "You must be a member of …").
    if (status === 403) {
      return [
        finding(
          'github-org-role-hidden',
          `GitHub did not show ${author}'s role in the organisation ${owner} (403: roles are visible only to its members), so Owner status could not be proven; a maintainer confirms it with an Owner of ${owner}, or the check runs with a token of a member of ${owner}`,
          '/name',
        ),
      ];
    }
    if (status !== 404) {
      return [finding('service-unreachable', `cannot read ${author}'s membership of ${owner}: ${(error as Error).message}`, '/name')];
    }
  }
  return [
    finding(
      'github-not-org-owner',
      `only Owners of the GitHub organisation ${owner} may publish under io.github.${owner}, and ${author} is not one; ask an Owner to open the pull request`,
      '/name',
    ),
  ];
}
