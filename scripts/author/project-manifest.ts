/**
 * What a project's own manifest says about the server: package.json (npm), pyproject.toml (PyPI) or a .csproj
 * (NuGet). Pure readers over the file text; only the fields `init` needs.
 */
import { isRecord } from '../core/is-record.ts';

export type Ecosystem = 'npm' | 'pypi' | 'nuget';

export interface ProjectFacts {
  ecosystem: Ecosystem;
  /** Package identifier in its registry. */
  identifier?: string;
  version?: string;
  description?: string;
  repositoryUrl?: string;
  websiteUrl?: string;
  /** A server name the project already declares (`mcpName`, or `mcp-name:` in the README). */
  serverName?: string;
  /** Commands the package installs (package.json `bin`, pyproject `[project.scripts]`); absent when unknown. */
  commands?: string[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** `git+https://github.com/a/b.git`, `github:a/b`, `a/b` → `https://github.com/a/b`. */
export function normalizeRepositoryUrl(raw: string): string | undefined {
  const s = raw.trim();
  const short = /^(?:github:)?([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(s);
  if (short) return `https://github.com/${short[1]}/${(short[2] ?? '').replace(/\.git$/, '')}`;
  const m =
    /^(?:git\+)?(?:https?|git|ssh):\/\/(?:git@)?(github\.com|gitlab\.com)[/:]([^/]+)\/([^/#?]+?)(?:\.git)?\/?(?:[#?].*)?$/.exec(s) ??
    /^git@(github\.com|gitlab\.com):([^/]+)\/([^/]+?)(?:\.git)?$/.exec(s);
  return m ? `https://${m[1]}/${m[2]}/${m[3]}` : /^https:\/\//.test(s) ? s : undefined;
}

export function readPackageJson(text: string): ProjectFacts | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { error: `package.json is not valid JSON: ${(error as Error).message}` };
  }
  if (!isRecord(doc)) return { error: 'package.json is not a JSON object' };
  const repo = isRecord(doc.repository) ? str(doc.repository.url) : str(doc.repository);
  const homepage = str(doc.homepage);
  const name = str(doc.name);
  const version = str(doc.version);
  const description = str(doc.description);
  const repositoryUrl = repo ? normalizeRepositoryUrl(repo) : undefined;
  const serverName = str(doc.mcpName);
  return {
    ecosystem: 'npm',
    ...(name ? { identifier: name } : {}),
    ...(version ? { version } : {}),
    ...(description ? { description } : {}),
    ...(repositoryUrl ? { repositoryUrl } : {}),
    ...(homepage?.startsWith('https://') ? { websiteUrl: homepage } : {}),
    ...(serverName ? { serverName } : {}),
    commands: typeof doc.bin === 'string' ? (name ? [name.replace(/^@[^/]+\//, '')] : []) : isRecord(doc.bin) ? Object.keys(doc.bin) : [],
  };
}

/** The `[project]` and `[project.urls]` string keys of pyproject.toml: enough TOML for `init`, not a TOML parser. */
export function readPyproject(text: string): ProjectFacts {
  const tables: Record<string, Record<string, string>> = {};
  let table = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\][]+)\]\s*(?:#.*)?$/.exec(line);
    if (header?.[1] !== undefined) {
      table = header[1].trim();
      continue;
    }
    const [kv, , key, doubleQuoted, singleQuoted] = /^\s*("?)([A-Za-z0-9_.-]+)\1\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(?:#.*)?$/.exec(line) ?? [];
    if (kv === undefined || key === undefined) continue;
    const row = tables[table] ?? {};
    tables[table] = row;
    row[key.toLowerCase()] = doubleQuoted !== undefined ? doubleQuoted.replace(/\\(["\\])/g, '$1') : (singleQuoted ?? '');
  }
  const project = tables.project ?? {};
  const urls = tables['project.urls'] ?? {};
  const repo = urls.repository ?? urls.source ?? urls['source code'] ?? urls.github;
  const homepage = urls.homepage ?? urls.documentation;
  const repositoryUrl = repo ? normalizeRepositoryUrl(repo) : undefined;
  return {
    ecosystem: 'pypi',
    ...(project.name ? { identifier: project.name } : {}),
    ...(project.version ? { version: project.version } : {}),
    ...(project.description ? { description: project.description } : {}),
    ...(repositoryUrl ? { repositoryUrl } : {}),
    ...(homepage?.startsWith('https://') ? { websiteUrl: homepage } : {}),
    ...(tables['project.scripts'] || tables['tool.poetry.scripts']
      ? { commands: [...Object.keys(tables['project.scripts'] ?? {}), ...Object.keys(tables['tool.poetry.scripts'] ?? {})] }
      : {}),
  };
}

function xmlElement(text: string, name: string): string | undefined {
  const raw = new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(text)?.[1];
  if (raw === undefined) return undefined;
  const value = raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
  return value === '' || value.includes('$(') ? undefined : value;
}

export function readCsproj(text: string, fileName: string): ProjectFacts {
  const repo = xmlElement(text, 'RepositoryUrl');
  const site = xmlElement(text, 'PackageProjectUrl');
  const identifier = xmlElement(text, 'PackageId') ?? xmlElement(text, 'AssemblyName') ?? fileName.replace(/\.csproj$/i, '');
  const version = xmlElement(text, 'PackageVersion') ?? xmlElement(text, 'Version');
  const description = xmlElement(text, 'Description');
  const repositoryUrl = repo ? normalizeRepositoryUrl(repo) : undefined;
  return {
    ecosystem: 'nuget',
    identifier,
    ...(version ? { version } : {}),
    ...(description ? { description } : {}),
    ...(repositoryUrl ? { repositoryUrl } : {}),
    ...(site?.startsWith('https://') ? { websiteUrl: site } : {}),
  };
}

/** `mcp-name: io.github.x/y` in a README (PyPI and NuGet ownership proof; outside HTML comments). */
export function readmeServerName(text: string): string | undefined {
  const visible = text.replace(/<!--[\s\S]*?-->/g, '');
  return /mcp-name:\s*([a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+)\b/.exec(visible)?.[1];
}
