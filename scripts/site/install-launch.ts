/**
 * How to start a server, derived from one package or remote of a server.json: the command and
 * arguments (stdio), or the URL and headers (streamable-http, sse). Required values the user
 * must supply become `<NAME>` placeholders; optional inputs without a fixed value are left out.
 */
import type { Argument, Input, KeyValueInput, Package, Remote } from '../core/api-types.ts';

export interface Placeholder {
  /** The literal placeholder text, e.g. `<API_KEY>`. */
  text: string;
  description: string;
  isSecret: boolean;
}

export interface CommandLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export type Launch =
  | ({ kind: 'stdio' } & CommandLaunch)
  | { kind: 'streamable-http' | 'sse'; url: string; headers: Record<string, string>; start?: CommandLaunch };

export interface LaunchPlan {
  /** Short label for the option, e.g. `npm · @scope/pkg` or `remote · https://…`. */
  label: string;
  /** Absent when no command can be generated (e.g. an MCPB bundle); `notes` then say what to do. */
  launch?: Launch;
  placeholders: Placeholder[];
  notes: string[];
}

class PlaceholderSet {
  readonly list: Placeholder[] = [];
  add(name: string, input: Input): string {
    const text = `<${name.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'VALUE'}>`;
    if (!this.list.some((p) => p.text === text)) {
      this.list.push({ text, description: oneLine(input.description ?? ''), isSecret: input.isSecret === true });
    }
    return text;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `{var}` references in a value become the variable's fixed value, its default, or a placeholder. */
function substituteVariables(value: string, variables: Record<string, Input> | undefined, ph: PlaceholderSet): string {
  return value.replace(/\{([A-Za-z0-9_.-]+)\}/g, (_whole, name: string) => {
    const variable = variables?.[name];
    if (variable === undefined) return ph.add(name, {});
    return variable.value ?? variable.default ?? ph.add(name, variable);
  });
}

/** The value to pass for an input, or undefined when it can be left out. */
function inputValue(input: Input, name: string, ph: PlaceholderSet): string | undefined {
  if (typeof input.value === 'string') return substituteVariables(input.value, input.variables, ph);
  if (input.isRequired === true) return input.default ?? ph.add(name, input);
  return undefined;
}

function argumentValues(args: readonly Argument[] | undefined, ph: PlaceholderSet): string[] {
  const out: string[] = [];
  for (const arg of args ?? []) {
    if (arg.type === 'positional') {
      const value = inputValue(arg, arg.valueHint ?? 'value', ph);
      if (value !== undefined) out.push(value);
    } else if (arg.type === 'named' && typeof arg.name === 'string') {
      const bare = arg.name.replace(/^-+/, '');
      if (arg.format === 'boolean' && arg.value === undefined) {
        if (arg.isRequired === true) out.push(arg.name);
        continue;
      }
      const value = inputValue(arg, bare, ph);
      if (value !== undefined) out.push(arg.name, value);
    }
  }
  return out;
}

function keyValues(items: readonly KeyValueInput[] | undefined, ph: PlaceholderSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    if (typeof item.name !== 'string' || item.name === '') continue;
    const value = inputValue(item, item.name, ph);
    if (value !== undefined) out[item.name] = value;
  }
  return out;
}

function ociImage(pkg: Package): string {
  const lastSegment = pkg.identifier.slice(pkg.identifier.lastIndexOf('/') + 1);
  const pinned = lastSegment.includes(':') || pkg.identifier.includes('@sha256:');
  return pinned || pkg.version === undefined ? pkg.identifier : `${pkg.identifier}:${pkg.version}`;
}

function packageCommand(pkg: Package, env: Record<string, string>, ph: PlaceholderSet): CommandLaunch | string {
  const runtimeArgs = argumentValues(pkg.runtimeArguments, ph);
  const packageArgs = argumentValues(pkg.packageArguments, ph);
  const version = pkg.version;
  switch (pkg.registryType) {
    case 'npm': {
      const command = pkg.runtimeHint ?? 'npx';
      const yes = command === 'npx' && !runtimeArgs.includes('-y') && !runtimeArgs.includes('--yes') ? ['-y'] : [];
      const spec = version === undefined ? pkg.identifier : `${pkg.identifier}@${version}`;
      return { command, args: [...yes, ...runtimeArgs, spec, ...packageArgs], env };
    }
    case 'pypi': {
      const spec = version === undefined ? pkg.identifier : `${pkg.identifier}==${version}`;
      return { command: pkg.runtimeHint ?? 'uvx', args: [...runtimeArgs, spec, ...packageArgs], env };
    }
    case 'nuget': {
      const spec = version === undefined ? pkg.identifier : `${pkg.identifier}@${version}`;
      return { command: pkg.runtimeHint ?? 'dnx', args: [...runtimeArgs, spec, '--yes', ...packageArgs], env };
    }
    case 'oci': {
      const envFlags = Object.keys(env).flatMap((name) => ['-e', name]);
      return { command: 'docker', args: ['run', '-i', '--rm', ...envFlags, ...runtimeArgs, ociImage(pkg), ...packageArgs], env };
    }
    case 'mcpb':
      return `Download the MCPB bundle ${pkg.identifier}${pkg.fileSha256 ? ` (SHA-256 ${pkg.fileSha256})` : ''} and open it with an MCPB-capable client such as Claude Desktop.`;
    default:
      if (pkg.runtimeHint !== undefined) {
        return { command: pkg.runtimeHint, args: [...runtimeArgs, pkg.identifier, ...packageArgs], env };
      }
      return `No install command is known for ${pkg.registryType} packages; see the package ${pkg.identifier}.`;
  }
}

/**
 * What a package transport's `{var}` can refer to, as validate accepts it: an argument by its valueHint or
 * its name without dashes, an environment variable by name. The URL then carries the same value as the
 * command (`--port 3000` → `http://localhost:3000/mcp`), not a second placeholder.
 */
function packageVariables(pkg: Package): Record<string, Input> {
  const vars: Record<string, Input> = Object.create(null) as Record<string, Input>;
  for (const arg of [...(pkg.runtimeArguments ?? []), ...(pkg.packageArguments ?? [])]) {
    const hint = 'valueHint' in arg ? arg.valueHint : undefined;
    if (typeof hint === 'string') vars[hint] ??= arg;
    if (arg.type === 'named' && typeof arg.name === 'string') vars[arg.name.replace(/^-+/, '')] ??= arg;
  }
  for (const env of pkg.environmentVariables ?? []) if (typeof env.name === 'string') vars[env.name] ??= env;
  return vars;
}

/** Pure: how to start one package of a server. */
export function planPackageLaunch(pkg: Package): LaunchPlan {
  const ph = new PlaceholderSet();
  const env = keyValues(pkg.environmentVariables, ph);
  const command = packageCommand(pkg, env, ph);
  const label = `${pkg.registryType} · ${pkg.identifier}`;
  if (typeof command === 'string') return { label, placeholders: ph.list, notes: [command] };
  const transport = pkg.transport;
  if (transport !== undefined && (transport.type === 'streamable-http' || transport.type === 'sse')) {
    const url = substituteVariables(transport.url, packageVariables(pkg), ph);
    const headers = keyValues(transport.headers, ph);
    return {
      label,
      launch: { kind: transport.type, url, headers, start: command },
      placeholders: ph.list,
      notes: [`Start the server first (${command.command} ${command.args.join(' ')}), then connect to ${url}.`],
    };
  }
  return { label, launch: { kind: 'stdio', ...command }, placeholders: ph.list, notes: [] };
}

/** Pure: how to connect to one remote of a server. */
export function planRemoteLaunch(remote: Remote): LaunchPlan {
  const ph = new PlaceholderSet();
  const url = substituteVariables(remote.url, remote.variables, ph);
  const headers = keyValues(remote.headers, ph);
  return {
    label: `remote · ${remote.type}`,
    launch: { kind: remote.type === 'sse' ? 'sse' : 'streamable-http', url, headers },
    placeholders: ph.list,
    notes: [],
  };
}
