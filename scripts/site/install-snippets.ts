/**
 * Copyable install snippets for the clients people use, generated from a server's packages and
 * remotes: Claude Desktop, VS Code (`mcp.json`), Cursor, Claude Code and a plain command line.
 */
import type { ServerJson } from '../core/api-types.ts';
import { planPackageLaunch, planRemoteLaunch } from './install-launch.ts';
import type { CommandLaunch, Launch, LaunchPlan, Placeholder } from './install-launch.ts';
import { installLinks } from './install-links.ts';
import type { InstallLink } from './install-links.ts';

export type SnippetTarget = 'claude-desktop' | 'vscode' | 'cursor' | 'claude-code' | 'cli';

export interface InstallSnippet {
  target: SnippetTarget;
  /** Human name of the client, with the file when there is one. */
  label: string;
  language: 'json' | 'shell';
  text: string;
}

export interface InstallOption {
  label: string;
  /** One-click links (install-links.ts); empty when the option cannot be installed from a link. */
  links: InstallLink[];
  snippets: InstallSnippet[];
  placeholders: Placeholder[];
  notes: string[];
}

/** The key under which the server appears in client configs: the part after the namespace. */
export function configKey(serverName: string): string {
  const tail = serverName.slice(serverName.indexOf('/') + 1);
  const key = tail.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return key === '' ? 'server' : key;
}

const SAFE_SHELL_WORD = /^[A-Za-z0-9_./:@%+=,-]+$/;

export function shellQuote(word: string): string {
  if (SAFE_SHELL_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function shellLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

function stdioEntry(launch: CommandLaunch): Record<string, unknown> {
  const entry: Record<string, unknown> = { command: launch.command, args: launch.args };
  if (Object.keys(launch.env).length > 0) entry.env = launch.env;
  return entry;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function headerArgs(flag: string, headers: Record<string, string>, separator: string): string[] {
  return Object.entries(headers).flatMap(([name, value]) => [flag, `${name}${separator}${value}`]);
}

function claudeDesktop(key: string, launch: Launch): InstallSnippet {
  // Claude Desktop's config file starts local processes only; remote servers go through mcp-remote.
  const entry =
    launch.kind === 'stdio' ? stdioEntry(launch) : { command: 'npx', args: ['-y', 'mcp-remote', launch.url, ...headerArgs('--header', launch.headers, ':')] };
  return {
    target: 'claude-desktop',
    label: 'Claude Desktop (claude_desktop_config.json)',
    language: 'json',
    text: json({ mcpServers: { [key]: entry } }),
  };
}

function vscode(key: string, launch: Launch): InstallSnippet {
  const entry =
    launch.kind === 'stdio'
      ? { type: 'stdio', ...stdioEntry(launch) }
      : {
          type: launch.kind === 'sse' ? 'sse' : 'http',
          url: launch.url,
          ...(Object.keys(launch.headers).length > 0 ? { headers: launch.headers } : {}),
        };
  return { target: 'vscode', label: 'VS Code (.vscode/mcp.json)', language: 'json', text: json({ servers: { [key]: entry } }) };
}

function cursor(key: string, launch: Launch): InstallSnippet {
  const entry =
    launch.kind === 'stdio' ? stdioEntry(launch) : { url: launch.url, ...(Object.keys(launch.headers).length > 0 ? { headers: launch.headers } : {}) };
  return { target: 'cursor', label: 'Cursor (.cursor/mcp.json)', language: 'json', text: json({ mcpServers: { [key]: entry } }) };
}

function claudeCode(key: string, launch: Launch): InstallSnippet {
  const words =
    launch.kind === 'stdio'
      ? [
          'claude',
          'mcp',
          'add',
          ...Object.entries(launch.env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
          key,
          '--',
          launch.command,
          ...launch.args,
        ]
      : ['claude', 'mcp', 'add', '--transport', launch.kind === 'sse' ? 'sse' : 'http', ...headerArgs('--header', launch.headers, ': '), key, launch.url];
  return { target: 'claude-code', label: 'Claude Code', language: 'shell', text: shellLine(words) };
}

function commandLine(launch: CommandLaunch): InstallSnippet {
  const assignments = Object.entries(launch.env).map(([name, value]) => `${name}=${shellQuote(value)}`);
  const text = [...assignments, shellLine([launch.command, ...launch.args])].join(' ');
  return { target: 'cli', label: 'Command line', language: 'shell', text };
}

function snippetsFor(key: string, plan: LaunchPlan): InstallSnippet[] {
  const launch = plan.launch;
  if (launch === undefined) return [];
  const out = [claudeDesktop(key, launch), vscode(key, launch), cursor(key, launch), claudeCode(key, launch)];
  if (launch.kind === 'stdio') out.push(commandLine(launch));
  else if (launch.start !== undefined) out.push(commandLine(launch.start));
  return out;
}

/** Pure: one install option per package and per remote, each with its snippets for every client. */
export function renderInstallOptions(server: ServerJson): InstallOption[] {
  const key = configKey(server.name);
  const plans: LaunchPlan[] = [
    ...(Array.isArray(server.remotes) ? server.remotes.map(planRemoteLaunch) : []),
    ...(Array.isArray(server.packages) ? server.packages.map(planPackageLaunch) : []),
  ];
  const title = typeof server.title === 'string' && server.title.trim() !== '' ? server.title.trim() : key;
  const description = typeof server.description === 'string' ? server.description : '';
  return plans.map((plan) => ({
    label: plan.label,
    links: installLinks(key, title, description, plan),
    snippets: snippetsFor(key, plan),
    placeholders: plan.placeholders,
    notes: plan.notes,
  }));
}
