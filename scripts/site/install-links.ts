/**
 * One-click install links in the form each client documents (pure): VS Code and VS Code
 * Insiders (the `insiders.vscode.dev/redirect/mcp/install` page, which opens the editor),
 * Cursor's `cursor://anysphere.cursor-deeplink/mcp/install` deeplink and Goose's
 * `goose://extension` link. No value a user must supply ever travels in a URL: VS Code asks
 * for each placeholder through its own `inputs` prompts (secrets as password fields), Cursor
 * reads it from the environment (`${env:NAME}`), Goose prompts for environment variables; a
 * placeholder Goose cannot prompt for leaves that client out.
 */
import type { Launch, LaunchPlan, Placeholder } from './install-launch.ts';

export type LinkClient = 'vscode' | 'vscode-insiders' | 'cursor' | 'goose';

export interface InstallLink {
  client: LinkClient;
  label: string;
  url: string;
}

/** `<WEATHER_API_KEY>` → `WEATHER_API_KEY`: the id each client's prompt is named by. */
function placeholderId(p: Placeholder): string {
  return p.text.slice(1, -1);
}

/** Every string of `value` with each placeholder replaced by `replace(placeholder)`. */
function substitute<T>(value: T, placeholders: readonly Placeholder[], replace: (p: Placeholder) => string): T {
  if (typeof value === 'string') {
    let out: string = value;
    for (const p of placeholders) out = out.split(p.text).join(replace(p));
    return out as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, placeholders, replace)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, placeholders, replace)])) as T;
  }
  return value;
}

function vscodeConfig(launch: Launch): Record<string, unknown> {
  if (launch.kind === 'stdio') {
    return { type: 'stdio', command: launch.command, args: launch.args, ...(Object.keys(launch.env).length > 0 ? { env: launch.env } : {}) };
  }
  return { type: launch.kind === 'sse' ? 'sse' : 'http', url: launch.url, ...(Object.keys(launch.headers).length > 0 ? { headers: launch.headers } : {}) };
}

function vscodeLinks(key: string, plan: LaunchPlan, launch: Launch): InstallLink[] {
  const config = substitute(vscodeConfig(launch), plan.placeholders, (p) => `\${input:${placeholderId(p)}}`);
  const inputs = plan.placeholders.map((p) => ({
    type: 'promptString',
    id: placeholderId(p),
    description: p.description || placeholderId(p),
    ...(p.isSecret ? { password: true } : {}),
  }));
  const query = new URLSearchParams({ name: key, ...(inputs.length > 0 ? { inputs: JSON.stringify(inputs) } : {}), config: JSON.stringify(config) });
  const url = `https://insiders.vscode.dev/redirect/mcp/install?${query.toString()}`;
  return [
    { client: 'vscode', label: 'VS Code', url },
    { client: 'vscode-insiders', label: 'VS Code Insiders', url: `${url}&quality=insiders` },
  ];
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function cursorLink(key: string, plan: LaunchPlan, launch: Launch): InstallLink {
  const raw =
    launch.kind === 'stdio'
      ? { command: launch.command, args: launch.args, ...(Object.keys(launch.env).length > 0 ? { env: launch.env } : {}) }
      : { url: launch.url, ...(Object.keys(launch.headers).length > 0 ? { headers: launch.headers } : {}) };
  const config = substitute(raw, plan.placeholders, (p) => `\${env:${placeholderId(p).replace(/[^A-Za-z0-9_]/g, '_')}}`);
  const query = new URLSearchParams({ name: key, config: base64(JSON.stringify(config)) });
  return { client: 'cursor', label: 'Cursor', url: `cursor://anysphere.cursor-deeplink/mcp/install?${query.toString()}` };
}

function gooseLink(key: string, title: string, description: string, plan: LaunchPlan, launch: Launch): InstallLink | undefined {
  const query = new URLSearchParams();
  if (launch.kind === 'stdio') {
    // Goose prompts for environment variables only: a placeholder elsewhere would reach the command as text.
    const elsewhere = plan.placeholders.some((p) => [launch.command, ...launch.args].some((w) => w.includes(p.text)));
    if (elsewhere) return undefined;
    query.set('cmd', launch.command);
    for (const arg of launch.args) query.append('arg', arg);
    for (const [name, value] of Object.entries(launch.env)) {
      // Goose asks for each variable, showing this text; a fixed value is shown for the user to enter.
      const p = plan.placeholders.find((x) => x.text === value);
      query.append('env', `${name}=${p === undefined ? `set it to ${value}` : p.description || name}`);
    }
  } else {
    if (Object.keys(launch.headers).length > 0 || plan.placeholders.length > 0) return undefined;
    query.set('url', launch.url);
    if (launch.kind === 'streamable-http') query.set('type', 'streamable_http');
  }
  query.set('id', key);
  query.set('name', title);
  query.set('description', description.slice(0, 200));
  return { client: 'goose', label: 'Goose', url: `goose://extension?${query.toString()}` };
}

/** Pure: the install links for one package or remote; none when it cannot be started from a link. */
export function installLinks(key: string, title: string, description: string, plan: LaunchPlan): InstallLink[] {
  const launch = plan.launch;
  // A package served over HTTP must be started first: a link could only connect to it.
  if (launch === undefined || (launch.kind !== 'stdio' && launch.start !== undefined)) return [];
  const goose = gooseLink(key, title, description, plan, launch);
  return [...vscodeLinks(key, plan, launch), cursorLink(key, plan, launch), ...(goose ? [goose] : [])];
}
