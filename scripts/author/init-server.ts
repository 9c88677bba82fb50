/** Builds a server.json from project facts plus answers to what could not be inferred. Pure. */
import { CURRENT_SCHEMA_URL, type ServerJson } from '../core/api-types.ts';
import type { ProjectFacts } from './project-manifest.ts';

export interface InitAnswers {
  name?: string;
  description?: string;
  version?: string;
  transport?: 'stdio' | 'streamable-http' | 'sse';
  /** Needed for the http transports. */
  url?: string;
}

export interface InitQuestion {
  key: keyof InitAnswers;
  prompt: string;
  flag: string;
}

const RUNTIME_HINT = { npm: 'npx', pypi: 'uvx', nuget: 'dnx' } as const;
const BASE_URL = { npm: 'https://registry.npmjs.org', pypi: 'https://pypi.org', nuget: 'https://api.nuget.org/v3/index.json' } as const;

/** `io.github.<owner>/<repo>` from a GitHub repository URL. */
export function nameFromRepository(url: string | undefined): string | undefined {
  const m = url ? /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(url) : null;
  return m ? `io.github.${m[1]}/${m[2]}` : undefined;
}

/** Fills the answers from the facts; what is still missing becomes a question. */
export function inferAnswers(facts: ProjectFacts, given: InitAnswers): { answers: InitAnswers; questions: InitQuestion[] } {
  const name = given.name ?? facts.serverName ?? nameFromRepository(facts.repositoryUrl);
  const description = given.description ?? (facts.description && [...facts.description].length <= 100 ? facts.description : undefined);
  const version = given.version ?? facts.version;
  const answers: InitAnswers = {
    ...given,
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(version !== undefined ? { version } : {}),
    transport: given.transport ?? 'stdio',
  };
  const questions: InitQuestion[] = [];
  if (!answers.name) questions.push({ key: 'name', flag: '--name', prompt: 'Server name (reverse-DNS, e.g. io.github.you/weather)' });
  if (!answers.description)
    questions.push({
      key: 'description',
      flag: '--description',
      prompt: `One-line description (at most 100 characters)${facts.description ? "; the manifest's is longer" : ''}`,
    });
  if (!answers.version) questions.push({ key: 'version', flag: '--version', prompt: 'Version (e.g. 1.0.0)' });
  if (answers.transport !== 'stdio' && !answers.url) questions.push({ key: 'url', flag: '--url', prompt: `URL clients connect to over ${answers.transport}` });
  return { answers, questions };
}

export function buildServerJson(facts: ProjectFacts, a: Required<Pick<InitAnswers, 'name' | 'description' | 'version'>> & InitAnswers): ServerJson {
  const transport = a.transport === undefined || a.transport === 'stdio' ? { type: 'stdio' as const } : { type: a.transport, url: a.url ?? '' };
  return {
    $schema: CURRENT_SCHEMA_URL,
    name: a.name,
    description: a.description,
    version: a.version,
    ...(facts.repositoryUrl
      ? { repository: { url: facts.repositoryUrl, source: facts.repositoryUrl.startsWith('https://gitlab.com/') ? 'gitlab' : 'github' } }
      : {}),
    ...(facts.websiteUrl ? { websiteUrl: facts.websiteUrl } : {}),
    ...(facts.identifier
      ? {
          packages: [
            {
              registryType: facts.ecosystem,
              registryBaseUrl: BASE_URL[facts.ecosystem],
              identifier: facts.identifier,
              version: a.version,
              runtimeHint: RUNTIME_HINT[facts.ecosystem],
              transport,
            },
          ],
        }
      : {}),
  };
}

/**
 * Why the install snippet the registry will show (`npx <identifier>`, `uvx <identifier>`) would not start
 * this package, judged from the commands its manifest installs; undefined when it would, or when unknown.
 */
export function launchProblem(facts: ProjectFacts, manifest: string): string | undefined {
  const id = facts.identifier;
  if (id === undefined || facts.commands === undefined) return undefined;
  const commands = facts.commands;
  if (facts.ecosystem === 'npm') {
    const own = id.replace(/^@[^/]+\//, '');
    if (commands.length === 1 || commands.includes(own)) return undefined;
    return commands.length === 0
      ? `${manifest} has no "bin", so \`npx ${id}\` (the install snippet clients get) has nothing to run; add "bin": {"${own}": "<your entry file>"}`
      : `\`npx ${id}\` runs the bin named "${own}", but ${manifest} declares ${commands.map((c) => `"${c}"`).join(', ')}; add a bin named "${own}" or keep only one`;
  }
  if (facts.ecosystem === 'pypi') {
    const fold = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-');
    if (commands.some((c) => fold(c) === fold(id))) return undefined;
    return `\`uvx ${id}\` (the install snippet clients get) runs the command "${id}", but ${manifest} ${commands.length === 0 ? 'declares no [project.scripts]' : `declares only ${commands.map((c) => `"${c}"`).join(', ')} in [project.scripts]`}; add ${id} = "<module>:<function>" there`;
  }
  return undefined;
}
