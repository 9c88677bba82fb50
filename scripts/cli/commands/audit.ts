/** `mcp-registry audit --from URL`: checks a registry's transparency log from its static files. */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT_CHECK_FAILED, EXIT_OK, environmentError, usageError } from '../../core/errors.ts';
import { createHttpClient } from '../../net/http-client.ts';
import { auditLog } from '../../translog/audit.ts';
import type { VerifierKey } from '../../translog/note.ts';
import { parseVerifierKey } from '../../translog/note.ts';
import { parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry audit --from URL [--key VKEY] [--since FILE] [--save FILE] [--format text|json]

Checks the transparency log a registry serves under URL/log/ (docs/transparency-log.md):
  - the checkpoint's signature, against the pinned key (--key; without it the checkpoint is
    read but nobody's signature is checked, and the report says so);
  - every entry bundle against its hash tile, and the tiles against the checkpoint's root;
  - each version's server.json as served (URL/log/servers/<ns>@<name>@<version>.json) against
    the SHA-256 its entry logs;
  - with --since FILE (a checkpoint saved before, e.g. by --save), that the new tree extends the
    old one: no entry rewritten, no history dropped.

Options:
  --from URL       the registry's public URL (its log is at URL/log/)
  --key VKEY       the registry's verifier key, <name>+<hash>+<base64> (a line of dist/log/key);
                   repeat it to accept any of several (while the registry rotates its key)
  --since FILE     a checkpoint seen before
  --save FILE      write the verified checkpoint to FILE (use it as --since next time)
  --format FORMAT  text (default) or json
  -h, --help       show this help

Exit codes: 0 everything verified, 1 something did not (the message names it), 2 usage or
environment error (bad flags, unreachable server).
`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      from: { type: 'string' },
      key: { type: 'string', multiple: true },
      since: { type: 'string' },
      save: { type: 'string' },
      format: { type: 'string' },
    });
    if (values.from === undefined) throw usageError('--from URL is required; see --help');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw usageError(`--format must be text or json; got '${format}'`);
    let base: URL;
    try {
      base = new URL(values.from.endsWith('/') ? values.from : `${values.from}/`);
    } catch {
      throw usageError(`--from '${values.from}' is not a URL`);
    }
    const keys: VerifierKey[] = [];
    for (const text of values.key ?? []) {
      const key = parseVerifierKey(text);
      if (!key.ok) throw usageError(`--key: ${key.error}`);
      keys.push(key.value);
    }
    let since: string | undefined;
    if (values.since !== undefined) {
      try {
        since = await readFile(resolve(io.cwd, values.since), 'utf8');
      } catch (error) {
        throw environmentError(`--since ${values.since}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    const client = createHttpClient({ trustedOrigins: [base.origin] });
    try {
      const result = await auditLog(
        async (path) => {
          const r = await client.send({ url: new URL(`log/${path}`, base).href });
          if (r.ok && r.response.status === 200) return { ok: true, value: new Uint8Array(r.response.body) };
          if (r.ok) return { ok: false, error: `GET ${r.response.url} → ${r.response.status}` };
          if (r.failure.code === 'status') return { ok: false, error: r.failure.message };
          throw environmentError(r.failure.message);
        },
        since === undefined ? { keys } : { keys, since },
      );
      if (!result.ok) {
        if (format === 'json') io.stdout(`${JSON.stringify({ ok: false, error: result.error })}\n`);
        else io.stderr(`audit failed: ${result.error}\n`);
        return EXIT_CHECK_FAILED;
      }
      const { checkpoint, signedBy, consistentWith, files } = result.value;
      if (values.save !== undefined) {
        const note = await client.send({ url: new URL('log/checkpoint', base).href });
        if (note.ok && note.response.status === 200) await writeFile(resolve(io.cwd, values.save), note.response.body);
      }
      const root = Buffer.from(checkpoint.root).toString('base64');
      if (format === 'json') {
        io.stdout(
          `${JSON.stringify({ ok: true, origin: checkpoint.origin, size: checkpoint.size, root, signedBy, ...(consistentWith === undefined ? {} : { consistentWith }), ...(files === undefined ? {} : { files }) })}\n`,
        );
      } else {
        io.stdout(`${checkpoint.origin}: ${checkpoint.size} entries, root ${root}\n`);
        io.stdout(signedBy.length > 0 ? `signed by ${signedBy.join(', ')}\n` : 'signature NOT checked: pass --key to pin the registry key\n');
        if (files !== undefined) {
          io.stdout(
            `${files.checked} served server.json files hash to their entries${files.notServed > 0 ? ` (${files.notServed} versions cannot be file names and are not served)` : ''}\n`,
          );
        }
        if (consistentWith !== undefined) io.stdout(`extends the previous checkpoint of ${consistentWith} entries\n`);
      }
      return EXIT_OK;
    } finally {
      await client.close();
    }
  },
};

export default command;
