/**
 * What of a server version can be inspected, and how (pure): each remote with its URL variables
 * filled from their defaults, and — when the registry opts in — each stdio package started with
 * its documented runtime. Headers, variables and environment the entry requires are noted,
 * never guessed: a target that cannot start without them is not started.
 */
import type { Package, Remote, ServerJson } from '../core/api-types.ts';
import type { EndpointNeeds } from './inspection-file.ts';
import type { SessionTarget } from './mcp-session.ts';

export interface PlannedTarget {
  /** The key an endpoint keeps across runs: the URL, or `stdio:<type>:<identifier>@<version>`. */
  key: string;
  target?: SessionTarget;
  needs?: EndpointNeeds;
  /** Why it is not started, when it is not. */
  skipped?: string;
}

function remoteTarget(remote: Remote): PlannedTarget {
  const missing: string[] = [];
  const url = remote.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const input = remote.variables?.[name];
    const value = input?.value ?? input?.default;
    if (value === undefined) {
      missing.push(name);
      return whole;
    }
    return encodeURIComponent(value);
  });
  const headers = (remote.headers ?? []).filter((h) => h.isRequired === true || h.isSecret === true).map((h) => h.name);
  const needs: EndpointNeeds = {
    ...(headers.length > 0 ? { headers: headers.sort() } : {}),
    ...(missing.length > 0 ? { variables: missing.sort() } : {}),
  };
  const noted = Object.keys(needs).length > 0 ? { needs } : {};
  if (missing.length > 0) return { key: remote.url, ...noted, skipped: `the URL needs ${missing.join(', ')}, which have no default` };
  return { key: url, target: { kind: 'remote', transport: remote.type, url }, ...noted };
}

export interface StdioPolicy {
  enabled: boolean;
  memoryMb: number;
  /** PATH for the child; nothing else of our environment reaches it. */
  path: string;
  home: string;
}

function stdioCommand(pkg: Package, memoryMb: number): { command: string; args: string[]; env: Record<string, string> } | undefined {
  const version = pkg.version;
  if (version === undefined) return undefined;
  switch (pkg.registryType) {
    case 'npm':
      return {
        command: 'npx',
        args: ['--yes', ...(pkg.registryBaseUrl ? ['--registry', pkg.registryBaseUrl] : []), `${pkg.identifier}@${version}`],
        env: { NODE_OPTIONS: `--max-old-space-size=${memoryMb}` },
      };
    case 'pypi':
      return { command: 'uvx', args: [...(pkg.registryBaseUrl ? ['--index-url', pkg.registryBaseUrl] : []), `${pkg.identifier}==${version}`], env: {} };
    case 'oci':
      return { command: 'docker', args: ['run', '-i', '--rm', '--network', 'none', '--memory', `${memoryMb}m`, '--read-only', pkg.identifier], env: {} };
    default:
      return undefined;
  }
}

function packageTarget(pkg: Package, policy: StdioPolicy): PlannedTarget {
  const key = `stdio:${pkg.registryType}:${pkg.identifier}@${pkg.version ?? ''}`;
  const environment = (pkg.environmentVariables ?? [])
    .filter((v) => v.isRequired === true && v.value === undefined && v.default === undefined)
    .map((v) => v.name);
  const needs: EndpointNeeds | undefined = environment.length > 0 ? { environment: environment.sort() } : undefined;
  const noted = needs ? { needs } : {};
  if (!policy.enabled) return { key, ...noted, skipped: 'stdio packages are inspected only where registry.config.yaml sets inspect.stdio: true' };
  if (needs) return { key, ...noted, skipped: `the package needs ${environment.join(', ')}, which the registry never guesses` };
  const required = [...(pkg.runtimeArguments ?? []), ...(pkg.packageArguments ?? [])].some(
    (a) => a.isRequired === true && a.value === undefined && a.default === undefined,
  );
  if (required) return { key, skipped: 'the package needs an argument with no default' };
  const command = stdioCommand(pkg, policy.memoryMb);
  if (!command) return { key, skipped: `no documented runtime for ${pkg.registryType} packages` };
  return {
    key,
    target: { kind: 'stdio', label: key, command: command.command, args: command.args, env: { PATH: policy.path, HOME: policy.home, ...command.env } },
  };
}

export function planTargets(server: ServerJson, stdio: StdioPolicy): PlannedTarget[] {
  const remotes = (server.remotes ?? []).map(remoteTarget);
  const packages = (server.packages ?? []).filter((p) => p.transport?.type === 'stdio').map((p) => packageTarget(p, stdio));
  return [...remotes, ...packages];
}
