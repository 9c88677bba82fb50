/**
 * What publishing a server.json means, before any network: stamp the release version, validate, and name the
 * registry path, branch and pull request. Pure; the Action and `mcp-registry publish` share it.
 */
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerJson } from '../core/api-types.ts';
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { escapeMarkdown } from '../core/markdown.ts';
import { validateDocument } from '../validate/validate-document.ts';
import { isRecord } from '../core/is-record.ts';
import type { Reported } from '../core/result.ts';
import type { PublishCode } from './codes.ts';

export interface PublishPlan {
  server: ServerJson;
  /** `servers/<namespace>/<name>/<version>.json` */
  path: string;
  /** The exact bytes to commit. */
  content: string;
  /** `<path>.sig` for a domain namespace, when a signing key was given. */
  signature?: string;
  branch: string;
  title: string;
  body: string;
}

/** The plan with validation's warnings, or the errors that stop publishing. */
export type PlanResult = Reported<PublishPlan>;

/** `v1.2.3`, `refs/tags/v1.2.3`, `release-1.2.3` → `1.2.3`; other tags unchanged (minus `refs/tags/`). */
export function versionFromTag(tag: string): string {
  const bare = tag.replace(/^refs\/tags\//, '');
  return /^(?:[A-Za-z][\w-]*?[-/_])?v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(bare)?.[1] ?? bare;
}

/**
 * Sets `version`, and the version of every package that carried the old server version (packages released
 * with the server); packages pinned to their own versions are left alone.
 */
export function stampVersion(doc: Record<string, unknown>, version: string): Record<string, unknown> {
  const old = doc.version;
  const packages = Array.isArray(doc.packages)
    ? doc.packages.map((p) => (isRecord(p) && (p.version === old || p.version === undefined) && p.registryType !== 'mcpb' ? { ...p, version } : p))
    : doc.packages;
  return { ...doc, version, ...(packages !== undefined ? { packages } : {}) };
}

/** A git ref name safe for any server name and version: only [A-Za-z0-9._/-], no `..`, no `.lock` components. */
export function branchName(serverName: string, version: string): string {
  const raw = `mcp-registry/${serverName}/${version}`;
  return raw
    .split('/')
    .map(
      (part) =>
        part
          .replace(/[^A-Za-z0-9._-]/g, '-')
          .replace(/\.{2,}/g, '.')
          .replace(/^[.-]+/, '')
          .replace(/\.lock$/, '-lock')
          .replace(/\.$/, '') || 'x',
    )
    .join('/');
}

function problem(code: PublishCode, message: string): Diagnostic {
  return diagnostic(code, message);
}

export function planPublication(text: string, options: { version?: string; config: RegistryConfig; label: string }): PlanResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // Let validate say where the JSON breaks.
    return { ok: false, diagnostics: validateDocument(text, options.label, options.config).diagnostics };
  }
  if (!isRecord(doc)) return { ok: false, diagnostics: validateDocument(text, options.label, options.config).diagnostics };
  const stamped = options.version !== undefined && options.version !== '' ? stampVersion(doc, options.version) : doc;
  const content = `${JSON.stringify(stamped, null, 2)}\n`;
  const name = typeof stamped.name === 'string' ? stamped.name : '';
  const version = typeof stamped.version === 'string' ? stamped.version : '';
  const slash = name.indexOf('/');
  const path = `servers/${name.slice(0, slash)}/${name.slice(slash + 1)}/${version}.json`;
  const checked = validateDocument(content, slash > 0 ? path : options.label, options.config);
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !checked.value)
    return { ok: false, diagnostics: errors.length > 0 ? errors : [problem('publish/invalid', 'server.json is not a valid server document')] };
  if (/[/\\]|^\.\.?$/.test(version))
    return {
      ok: false,
      diagnostics: [problem('publish/version-path', `version ${JSON.stringify(version)} cannot be a file name; use a plain version such as 1.2.3`)],
    };
  const server = checked.value;
  const description = typeof server.description === 'string' ? server.description : '';
  return {
    ok: true,
    diagnostics: checked.diagnostics.filter((d) => d.severity === 'warning'),
    value: {
      server,
      path,
      content,
      branch: branchName(name, version),
      title: `Publish ${name} ${version}`.slice(0, 250),
      body: [
        `Publishes **${escapeMarkdown(name)}** version **${escapeMarkdown(version)}**.`,
        '',
        `> ${escapeMarkdown(description)}`,
        '',
        `File: ${escapeMarkdown(path)}`,
        '',
        'Opened by the mcp-static-registry publish Action / `mcp-registry publish`. The registry’s checks comment below.',
      ].join('\n'),
    },
  };
}
