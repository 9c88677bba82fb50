/**
 * One file describes a registry: `registry.config.yaml` at the repository root.
 * A fork edits only this file (and servers/) to become a subregistry.
 * `parseRegistryConfig` is pure; `loadRegistryConfig` is the thin file-system edge.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { environmentError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';

export const CONFIG_FILE = 'registry.config.yaml';

/** Service base URLs; `--endpoint TYPE=URL` and tests override them. */
export interface Endpoints {
  npm: string;
  pypi: string;
  nuget: string;
  /** crates.io API origin (`https://crates.io`); the cargo verifier asks `/api/v1/crates/…` there. */
  cargo: string;
  /** Optional override for every OCI registry host (tests, enterprise mirrors). */
  oci?: string;
  github: string;
  /** `HOST:PORT` of a DNS server; system resolver when absent. */
  dns?: string;
  /** Override origin for well-known lookups and MCPB downloads (tests). */
  http?: string;
}

export interface RegistryConfig {
  /** Human name, shown by the site and in /v0.1/health. */
  name: string;
  /** Public URL the registry is served from, without a trailing slash. */
  baseUrl: string;
  /** `_meta` key under which this registry adds its own data (overlays, provenance). */
  metaNamespace: string;
  /** Allowed `registryBaseUrl` values (or hosts, for oci and mcpb) per registryType. */
  allowedRegistries: Record<string, string[]>;
  /** Namespaces no one may publish under (lower case). */
  blockedNamespaces: string[];
  /** Our rules stricter than the official registry's are errors (true) or warnings (false); docs/rules.md lists them. */
  strictRules: boolean;
  endpoints: Endpoints;
  /**
   * Who may change any namespace and a maintainer's decisions, for the PR check: GitHub logins (`alice`) and
   * teams (`org/team-slug`, membership asked of the GitHub API). Nobody else is a maintainer.
   */
  maintainers: string[];
  /** Everything else in the file, for stages that own their own sections (upstreams, policy). */
  extra: Record<string, unknown>;
}

export const DEFAULT_ALLOWED_REGISTRIES: Record<string, string[]> = {
  npm: ['https://registry.npmjs.org'],
  pypi: ['https://pypi.org'],
  nuget: ['https://api.nuget.org/v3/index.json', 'https://api.nuget.org'],
  oci: ['docker.io', 'ghcr.io', 'quay.io', 'mcr.microsoft.com', '*.pkg.dev', '*.azurecr.io'],
  mcpb: ['github.com', 'www.github.com', 'gitlab.com', 'www.gitlab.com'],
  cargo: ['https://crates.io'],
};

export const DEFAULT_ENDPOINTS: Endpoints = {
  npm: 'https://registry.npmjs.org',
  pypi: 'https://pypi.org',
  nuget: 'https://api.nuget.org/v3/index.json',
  cargo: 'https://crates.io',
  github: 'https://api.github.com',
};

export const DEFAULT_CONFIG: RegistryConfig = {
  name: 'mcp-static-registry',
  baseUrl: 'http://127.0.0.1:4321',
  metaNamespace: 'io.github.mcp-static-registry/registry',
  allowedRegistries: DEFAULT_ALLOWED_REGISTRIES,
  blockedNamespaces: [],
  strictRules: true,
  endpoints: DEFAULT_ENDPOINTS,
  maintainers: [],
  extra: {},
};

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const TEAM = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** `org/team-slug` → its parts; a login → undefined. */
export function maintainerTeam(entry: string): { org: string; slug: string } | undefined {
  const slash = entry.indexOf('/');
  return slash < 0 ? undefined : { org: entry.slice(0, slash), slug: entry.slice(slash + 1) };
}

function maintainerList(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
    throw new ConfigError(`${CONFIG_FILE}: 'maintainers' must be a list of GitHub logins and teams (org/team-slug)`);
  }
  for (const entry of value as string[]) {
    if (!LOGIN.test(entry) && !TEAM.test(entry)) {
      throw new ConfigError(
        `${CONFIG_FILE}: 'maintainers' entry ${JSON.stringify(entry)} is neither a GitHub login (alice) nor a team (my-org/registry-maintainers)`,
      );
    }
  }
  return value as string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function stringField(raw: Record<string, unknown>, key: string, fallback: string): string {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(`${CONFIG_FILE}: '${key}' must be a non-empty string`);
  }
  return value;
}

function stringListMap(value: unknown, key: string): Record<string, string[]> {
  if (!isRecord(value)) throw new ConfigError(`${CONFIG_FILE}: '${key}' must be a mapping of lists of strings`);
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
      throw new ConfigError(`${CONFIG_FILE}: '${key}.${k}' must be a list of strings`);
    }
    out[k] = v as string[];
  }
  return out;
}

/** Pure: the parsed YAML value of the config file (or undefined for none) → a full config. */
export function parseRegistryConfig(raw: unknown): RegistryConfig {
  if (raw === undefined || raw === null) return structuredClone(DEFAULT_CONFIG);
  if (!isRecord(raw)) throw new ConfigError(`${CONFIG_FILE}: the top level must be a mapping`);
  const { name, baseUrl, metaNamespace, allowedRegistries, blockedNamespaces, strictRules, endpoints, maintainers, ...extra } = raw;
  void name;
  void metaNamespace;
  const config: RegistryConfig = {
    name: stringField(raw, 'name', DEFAULT_CONFIG.name),
    baseUrl: stringField(raw, 'baseUrl', DEFAULT_CONFIG.baseUrl).replace(/\/+$/, ''),
    metaNamespace: stringField(raw, 'metaNamespace', DEFAULT_CONFIG.metaNamespace),
    allowedRegistries:
      allowedRegistries === undefined
        ? structuredClone(DEFAULT_ALLOWED_REGISTRIES)
        : { ...structuredClone(DEFAULT_ALLOWED_REGISTRIES), ...stringListMap(allowedRegistries, 'allowedRegistries') },
    blockedNamespaces: [],
    strictRules: (strictRules ?? true) as boolean,
    endpoints: { ...DEFAULT_ENDPOINTS },
    maintainers: maintainers === undefined ? [] : maintainerList(maintainers),
    extra,
  };
  if (config.metaNamespace.startsWith('io.modelcontextprotocol.registry/')) {
    throw new ConfigError(
      `${CONFIG_FILE}: 'metaNamespace' ${config.metaNamespace} is reserved for the official registry's own _meta keys; use a key you own, such as com.example.mcp/registry`,
    );
  }
  if (baseUrl !== undefined && !/^https?:\/\//.test(config.baseUrl)) {
    throw new ConfigError(`${CONFIG_FILE}: 'baseUrl' must be an http(s) URL`);
  }
  if (typeof config.strictRules !== 'boolean') throw new ConfigError(`${CONFIG_FILE}: 'strictRules' must be true or false`);
  if (blockedNamespaces !== undefined) {
    if (!Array.isArray(blockedNamespaces) || !blockedNamespaces.every((s) => typeof s === 'string')) {
      throw new ConfigError(`${CONFIG_FILE}: 'blockedNamespaces' must be a list of strings`);
    }
    config.blockedNamespaces = blockedNamespaces.map((s) => s.toLowerCase());
  }
  if (endpoints !== undefined) {
    if (!isRecord(endpoints)) throw new ConfigError(`${CONFIG_FILE}: 'endpoints' must be a mapping`);
    for (const [k, v] of Object.entries(endpoints)) {
      if (!ENDPOINT_TYPES.includes(k as EndpointType)) {
        throw new ConfigError(`${CONFIG_FILE}: unknown endpoint '${k}'; expected one of ${ENDPOINT_TYPES.join(', ')}`);
      }
      if (typeof v !== 'string') throw new ConfigError(`${CONFIG_FILE}: 'endpoints.${k}' must be a string`);
      config.endpoints[k as EndpointType] = v;
    }
  }
  return config;
}

export const ENDPOINT_TYPES = ['npm', 'pypi', 'nuget', 'cargo', 'oci', 'github', 'dns', 'http'] as const;
export type EndpointType = (typeof ENDPOINT_TYPES)[number];

/** Applies `--endpoint TYPE=URL` overrides (pure). */
export function withEndpointOverrides(config: RegistryConfig, overrides: readonly string[]): RegistryConfig {
  const endpoints = { ...config.endpoints };
  for (const item of overrides) {
    const eq = item.indexOf('=');
    const type = item.slice(0, eq);
    if (eq <= 0 || !ENDPOINT_TYPES.includes(type as EndpointType)) {
      throw new ConfigError(`--endpoint expects TYPE=URL with TYPE one of ${ENDPOINT_TYPES.join(', ')}; got '${item}'`);
    }
    endpoints[type as EndpointType] = item.slice(eq + 1);
  }
  return { ...config, endpoints };
}

/** Reads `registry.config.yaml` from the registry root; defaults when the file is absent. */
export async function loadRegistryConfig(root: string): Promise<RegistryConfig> {
  const file = join(root, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(DEFAULT_CONFIG);
    throw environmentError(`cannot read ${file}: ${(error as Error).message}`, error);
  }
  try {
    return parseRegistryConfig(parse(text));
  } catch (error) {
    throw environmentError(`${file}: ${(error as Error).message}`, error);
  }
}
