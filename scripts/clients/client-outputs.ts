/**
 * The files enterprise tools read to follow this registry's policy, made from the servers the
 * registry serves (the catalog after the subregistry policy and status applied): Claude Code and
 * GitHub Copilot managed settings, VS Code's gallery setting and policy, a ToolHive registry and
 * a Docker MCP catalog. Pure: the build writes them under dist/clients/ (docs/subregistry.md).
 *
 * Formats, as their vendors document them:
 * - managed settings: `allowedMcpServers` / `deniedMcpServers`, arrays of objects with exactly one
 *   of `serverName`, `serverCommand` (the exact argv of a stdio server) or `serverUrl` (a URL with
 *   `*` wildcards); deny wins over allow.
 * - VS Code: the `chat.mcp.gallery.serviceUrl` setting, whose admin policy is `McpGalleryServiceUrl`;
 *   the client appends `/v0.1/servers` to it.
 * - ToolHive: `{version, meta: {last_updated}, data: {servers: [server.json…]}}`.
 * - Docker MCP catalog (YAML): `registry: {<key>: {name, type: server|remote, image, remote: {url,
 *   transport_type}, …}}`; Docker runs containers, so only OCI packages and remotes fit.
 */
import { hash } from 'node:crypto';
import { stringify } from 'yaml';
import type { Package, Remote, ServerJson } from '../core/api-types.ts';
import type { ServerView } from '../catalog/server-view.ts';

export const CLIENTS_DIR = 'clients';
export const CLIENT_FILES = {
  managedSettings: `${CLIENTS_DIR}/managed-settings.json`,
  vscodeSettings: `${CLIENTS_DIR}/vscode-settings.json`,
  vscodePolicy: `${CLIENTS_DIR}/vscode-policy.json`,
  toolhive: `${CLIENTS_DIR}/toolhive-registry.json`,
  docker: `${CLIENTS_DIR}/docker-mcp-catalog.yaml`,
} as const;

export interface ClientOutputsInput {
  servers: readonly ServerView[];
  /** Public URL of the registry, without trailing slash. */
  baseUrl: string;
  registryName: string;
  builtAt: string;
}

export type ServerEntry = { serverName: string } | { serverCommand: string[] } | { serverUrl: string };

export interface ManagedSettings {
  allowedMcpServers: ServerEntry[];
  deniedMcpServers: ServerEntry[];
}

/** Template variables (`{tenant}`) can be anything, so they match as a wildcard. */
export function remoteUrlPattern(remote: Remote): string {
  return remote.url.replace(/\{[^}]*\}/g, '*');
}

function hasExplicitTag(identifier: string): boolean {
  const last = identifier.slice(identifier.lastIndexOf('/') + 1);
  return last.includes(':') || identifier.includes('@');
}

export function ociImage(pkg: Package): string {
  if (hasExplicitTag(pkg.identifier) || pkg.version === undefined) return pkg.identifier;
  return `${pkg.identifier}:${pkg.version}`;
}

/** The argv a client runs for a stdio package, as this registry's site shows it; undefined when none is standard. */
export function packageCommand(pkg: Package): string[] | undefined {
  if (pkg.transport.type !== 'stdio') return undefined;
  const pinned = (sep: string) => (pkg.version === undefined ? pkg.identifier : `${pkg.identifier}${sep}${pkg.version}`);
  switch (pkg.registryType) {
    case 'npm':
      return [pkg.runtimeHint ?? 'npx', '-y', pinned('@')];
    case 'pypi':
      return [pkg.runtimeHint ?? 'uvx', pinned('==')];
    case 'oci':
      return ['docker', 'run', '-i', '--rm', ociImage(pkg)];
    default:
      return undefined;
  }
}

function entriesOf(server: ServerJson): ServerEntry[] {
  const out: ServerEntry[] = [];
  for (const pkg of server.packages ?? []) {
    const command = packageCommand(pkg);
    if (command !== undefined) out.push({ serverCommand: command });
  }
  for (const remote of server.remotes ?? []) out.push({ serverUrl: remoteUrlPattern(remote) });
  return out;
}

class EntrySet {
  readonly list: ServerEntry[] = [];
  private readonly keys = new Set<string>();
  has(entry: ServerEntry): boolean {
    return this.keys.has(JSON.stringify(entry));
  }
  add(entry: ServerEntry): void {
    const key = JSON.stringify(entry);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.list.push(entry);
  }
}

/**
 * Every served version (deprecated included) is allowed by name, command and URL; what only
 * deleted versions used is denied, so a pinned install of a withdrawn version stops working even
 * where a user's own allowlist would let it through.
 */
export function managedSettings(servers: readonly ServerView[]): ManagedSettings {
  const allowed = new EntrySet();
  const deleted: ServerEntry[] = [];
  for (const view of servers) {
    const served = view.versions.filter((v) => v.official.status !== 'deleted');
    if (served.length > 0) allowed.add({ serverName: view.name });
    else deleted.push({ serverName: view.name });
    for (const v of view.versions) {
      const entries = entriesOf(v.response.server);
      if (v.official.status === 'deleted') deleted.push(...entries);
      else for (const e of entries) allowed.add(e);
    }
  }
  const denied = new EntrySet();
  for (const e of deleted) if (!allowed.has(e)) denied.add(e);
  return { allowedMcpServers: allowed.list, deniedMcpServers: denied.list };
}

/** The latest served version of each server: what a catalog tool installs. */
export function servedLatest(servers: readonly ServerView[]): ServerJson[] {
  const out: ServerJson[] = [];
  for (const view of servers) {
    if (view.latest !== undefined && view.latest.official.status !== 'deleted') out.push(view.latest.response.server);
  }
  return out;
}

export function toolhiveRegistry(servers: readonly ServerView[], builtAt: string): unknown {
  return { version: '1.0.0', meta: { last_updated: builtAt }, data: { servers: servedLatest(servers) } };
}

/** Docker catalog keys are short lower-case words with hyphens; a collision gets a numeric suffix. */
export function catalogKey(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'server';
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  taken.add(key);
  return key;
}

/**
 * The YAML of catalog entries under `registry:`, by a digest of the entry's JSON: a build keeps it
 * between runs (emit/client-emitter.ts), so after one merge only the changed entries are rendered.
 */
export interface YamlMemo {
  get(digest: string): string | undefined;
  set(digest: string, yaml: string): void;
}

const REGISTRY_LINE = 'registry:\n';

/**
 * `stringify(doc)` of the whole catalog, entry by entry: an entry's lines under `registry:` depend
 * only on its key and value (no entry shares an object with another, so yaml writes no anchors).
 */
function catalogYaml(head: Record<string, unknown>, registry: Record<string, unknown>, memo?: YamlMemo): string {
  const keys = Object.keys(registry);
  if (keys.length === 0) return stringify({ ...head, registry });
  const parts = [stringify(head), REGISTRY_LINE];
  for (const key of keys) {
    const value = registry[key];
    const digest = hash('sha1', JSON.stringify([key, value]), 'base64url');
    let text = memo?.get(digest);
    if (text === undefined) {
      text = stringify({ registry: { [key]: value } }).slice(REGISTRY_LINE.length);
      memo?.set(digest, text);
    }
    parts.push(text);
  }
  return parts.join('');
}

export function dockerCatalog(
  servers: readonly ServerView[],
  input: Pick<ClientOutputsInput, 'baseUrl' | 'registryName'>,
  memo?: YamlMemo,
): { yaml: string; left: string[] } {
  const registry: Record<string, unknown> = {};
  const left: string[] = [];
  const taken = new Set<string>();
  for (const server of servedLatest(servers)) {
    const oci = (server.packages ?? []).find((p) => p.registryType === 'oci' && p.transport.type === 'stdio');
    const remote = server.remotes?.find((r) => !/\{[^}]*\}/.test(r.url));
    if (oci === undefined && remote === undefined) {
      left.push(server.name);
      continue;
    }
    const common = {
      name: catalogKey(server.name, taken),
      ...(server.title === undefined ? {} : { title: server.title }),
      description: server.description,
      metadata: {
        registryUrl: `${input.baseUrl}/v0.1/servers/${encodeURIComponent(server.name)}/versions/${encodeURIComponent(server.version)}`,
        owner: server.name.split('/')[0] ?? server.name,
      },
    };
    registry[common.name] =
      oci !== undefined
        ? { ...common, type: 'server', image: ociImage(oci) }
        : { ...common, type: 'remote', image: '', remote: { url: remote?.url, transport_type: remote?.type } };
  }
  return { yaml: catalogYaml({ name: input.registryName, displayName: input.registryName }, registry, memo), left };
}

export interface ClientFile {
  path: string;
  content: string;
}

export function clientFiles(input: ClientOutputsInput, memo?: YamlMemo): ClientFile[] {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return [
    { path: CLIENT_FILES.managedSettings, content: json(managedSettings(input.servers)) },
    { path: CLIENT_FILES.vscodeSettings, content: json({ 'chat.mcp.gallery.serviceUrl': input.baseUrl }) },
    { path: CLIENT_FILES.vscodePolicy, content: json({ McpGalleryServiceUrl: input.baseUrl }) },
    { path: CLIENT_FILES.toolhive, content: json(toolhiveRegistry(input.servers, input.builtAt)) },
    { path: CLIENT_FILES.docker, content: dockerCatalog(input.servers, input, memo).yaml },
  ];
}
