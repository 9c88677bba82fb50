/** `mcp-registry deprecate|delete|restore`: argument parsing and the read → transition → write composition. */
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { fileReport, report, type Diagnostic } from '../../core/diagnostics.ts';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT_CHECK_FAILED, EXIT_OK, usageError } from '../../core/errors.ts';
import { statePath } from '../../core/registry-state.ts';
import { fingerprint } from '../../sign/keys.ts';
import { KEY_ENV, loadPrivateKey, privateKeyText } from '../../sign/private-key-source.ts';
import type { LoadedKey } from '../../sign/private-key-source.ts';
import { signStatusFileAt } from '../../sign/sign-files.ts';
import { classifyNamespace } from '../../verify/namespace.ts';
import { parseStatusFile, serializeStatusFile } from '../../state/status-file.ts';
import { publishedVersions, readStatusText, writeStatusText } from '../../lifecycle/status-store.ts';
import { applyLifecycle, type LifecycleAction } from '../../lifecycle/transition.ts';

const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

const SUMMARY: Record<LifecycleAction, string> = {
  deprecate: 'mark versions deprecated (still listed, clients warn)',
  delete: 'mark versions deleted (hidden from listings, never erased)',
  restore: 'make versions active again',
};

export function lifecycleHelp(action: LifecycleAction): string {
  return `Usage: mcp-registry ${action} SERVER_NAME [--version V]... ${action === 'restore' ? '' : '--message TEXT '}[--latest V|auto] [options]

${SUMMARY[action].charAt(0).toUpperCase()}${SUMMARY[action].slice(1)}: writes registry/status/<namespace>/<name>.yaml.
The author's server.json files never change. Commit the result and open a pull request; the
namespace's verified owner's PRs are merged by the bot when the checks pass.

Options:
  --version V        a version to change (repeatable); default: every published version,
                     or none when only --latest is given
${action === 'restore' ? '' : '  --message TEXT     statusMessage shown to users (required, at most 500 characters)\n'}  --latest V|auto    also pin V as the latest version, or \`auto\` to remove the pin
  --key-file PATH    sign the status file (writes <file>.sig) with the domain's key, so the bot
                     merges a domain namespace's change; also ${KEY_ENV}. The signature binds
                     the change to the file as it was before this command and is valid for 72 hours
  --maintainer       record the change as a maintainer's decision (statusChangedBy: maintainer), e.g.
                     a takedown: the bot then sends any later change to it by a non-maintainer to a human
  --root DIR         registry root (default: current directory)
  --now TIME         RFC 3339 time to record and sign (default: now; for reproducible output)
  --format text|json output format (json: the validate report shape)
  -h, --help         this help
`;
}

function render(io: CommandIo, format: string, path: string, diagnostics: Diagnostic[]): void {
  if (format === 'json') {
    io.stdout(`${JSON.stringify(report([fileReport(path, diagnostics)]))}\n`);
    return;
  }
  for (const d of diagnostics) io.stderr(`${path}${d.pointer ? ` ${d.pointer}` : ''}: ${d.severity} ${d.code}: ${d.message}\n`);
}

function parseLifecycleFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        version: { type: 'string', multiple: true },
        message: { type: 'string' },
        latest: { type: 'string' },
        root: { type: 'string' },
        now: { type: 'string' },
        format: { type: 'string' },
        'key-file': { type: 'string' },
        maintainer: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

export function lifecycleCommand(action: LifecycleAction): Command {
  return {
    help: lifecycleHelp(action),
    async run(argv, io) {
      const { values, positionals } = parseLifecycleFlags(argv);
      const format = values.format ?? 'text';
      if (format !== 'text' && format !== 'json') throw usageError(`--format must be text or json, not ${format}`);
      const [name] = positionals;
      if (positionals.length !== 1 || name === undefined) throw usageError(`expected exactly one SERVER_NAME (e.g. io.github.user/weather); see --help`);
      if (!SERVER_NAME.test(name)) throw usageError(`${JSON.stringify(name)} is not a server name of the form namespace/name`);
      // `--latest` without `--version` only moves the pin.
      const versions: string[] | 'all' = values.version ?? (values.latest !== undefined ? [] : 'all');
      const pinOnly = versions !== 'all' && versions.length === 0;
      if (action !== 'restore' && values.message === undefined && !pinOnly) {
        throw usageError(`${action} needs --message TEXT telling users why`);
      }
      const now = values.now ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (Number.isNaN(Date.parse(now))) throw usageError(`--now must be an RFC 3339 time, not ${now}`);
      const root = values.root ?? io.cwd;
      const path = statePath('status', name);
      const keyText = await privateKeyText(io.cwd, io.env, values['key-file']);
      const signer: LoadedKey | undefined = keyText === undefined ? undefined : loadPrivateKey(keyText);

      const published = await publishedVersions(root, name);
      const text = await readStatusText(root, name);
      const current = text === undefined ? { diagnostics: [], value: {} } : parseStatusFile(text, published);
      if (!current.value) {
        render(io, format, path, current.diagnostics);
        return EXIT_CHECK_FAILED;
      }
      const result = applyLifecycle(
        current.value,
        {
          action,
          versions,
          ...(values.message !== undefined ? { statusMessage: values.message } : {}),
          ...(values.latest !== undefined ? { latest: values.latest === 'auto' ? null : values.latest } : {}),
          now,
          actor: values.maintainer ? 'maintainer' : 'owner',
        },
        published,
      );
      if (!result.ok) {
        render(io, format, path, result.diagnostics);
        return EXIT_CHECK_FAILED;
      }
      const next = serializeStatusFile(result.value.file);
      if (next !== text) await writeStatusText(root, name, next);
      const previous = text === undefined ? undefined : Buffer.from(text, 'utf8');
      const signed = signer ? await signStatusFileAt(join(root, path), name.toLowerCase(), signer, new Date(now), previous) : undefined;
      if (format === 'json') render(io, format, path, []);
      else {
        io.stdout(
          result.value.changed.length > 0 ? `${action}: ${name} ${result.value.changed.join(', ')} → ${path}\n` : `${name}: nothing to change in ${path}\n`,
        );
        if (signed && signer) io.stdout(`${path}.sig: signed with ${fingerprint(signer.pub)}\n`);
        else if (next !== text) {
          const advice = await signatureAdvice(root, path, name);
          if (advice) io.stderr(advice);
        }
        if (next !== text || signed) io.stdout(`next: git add ${path}${signed ? ` ${path}.sig` : ''}, commit, and open a pull request on the registry\n`);
      }
      return EXIT_OK;
    },
  };
}

/** What an unsigned change means for the PR: a stale signature, or a domain namespace's missing proof. */
async function signatureAdvice(root: string, path: string, name: string): Promise<string> {
  const stale = await access(join(root, `${path}.sig`)).then(
    () => true,
    () => false,
  );
  if (stale) return `warning: ${path}.sig no longer matches the file; sign again: mcp-registry sign ${path} --key-file KEY\n`;
  const ns = classifyNamespace(name);
  if (ns.kind !== 'domain') return '';
  return `note: ${name} is a domain namespace; sign the change (--key-file KEY, or mcp-registry sign ${path}) with the key ${ns.domain} publishes, or a maintainer reviews the PR\n`;
}
