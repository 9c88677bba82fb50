/**
 * Who is a maintainer for the PR check: the logins and teams `registry.config.yaml` names under `maintainers`,
 * and the repository's owner when that is a user. Membership of the registry's GitHub organisation
 * (`author_association: MEMBER`) is not enough: an organisation has members who never review the registry.
 * A team is asked of the GitHub API; a lookup that fails grants nothing and sends the PR to a human.
 */
import type { Octokit } from '@octokit/rest';
import { maintainerTeam } from '../config/registry-config.ts';
import { isStatus } from '../net/github-client.ts';

export type MaintainerCheck =
  | { maintainer: true; via: string }
  /** `unverified`: a team could not be asked, so the author may or may not be a maintainer. */
  | { maintainer: false; unverified?: string };

/** Whether `login` is an active member of `org/slug`; throws when GitHub cannot say. */
export type TeamMembership = (org: string, slug: string, login: string) => Promise<boolean>;

export async function checkMaintainer(author: string, repository: string, entries: readonly string[], isTeamMember: TeamMembership): Promise<MaintainerCheck> {
  const login = author.toLowerCase();
  // An organisation cannot author a pull request, so a login equal to the repository's owner is that user.
  if (repository.split('/')[0]?.toLowerCase() === login) return { maintainer: true, via: 'the repository owner' };
  const named = entries.find((e) => maintainerTeam(e) === undefined && e.toLowerCase() === login);
  if (named !== undefined) return { maintainer: true, via: `maintainers: ${named}` };
  const failures: string[] = [];
  for (const entry of entries) {
    const team = maintainerTeam(entry);
    if (!team) continue;
    try {
      if (await isTeamMember(team.org, team.slug, author)) return { maintainer: true, via: `team ${entry}` };
    } catch (error) {
      failures.push(`team ${entry}: ${(error as Error).message}`);
    }
  }
  return failures.length > 0 ? { maintainer: false, unverified: failures.join('; ') } : { maintainer: false };
}

/** GitHub's answer for an active membership; 404 means not a member (or a team the token cannot see). */
export function teamMembershipVia(octokit: Octokit | undefined): TeamMembership {
  return async (org, slug, login) => {
    if (!octokit) throw new Error('no token to ask GitHub (set MAINTAINERS_TOKEN to one that may read the team)');
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login });
      return data.state === 'active';
    } catch (error) {
      if (isStatus(error, 404)) return false;
      throw error;
    }
  };
}
