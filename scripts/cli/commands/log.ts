/** `mcp-registry log keygen --out FILE`: makes the Ed25519 key that signs the transparency log. */
import { generateKeyPairSync } from 'node:crypto';
import { access, chmod } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadRegistryConfig } from '../../config/registry-config.ts';
import { EXIT_OK, environmentError, usageError } from '../../core/errors.ts';
import { logKeyName } from '../../emit/log-emitter.ts';
import { writeFileAtomically } from '../../files/atomic-file.ts';
import { verifierKeyString } from '../../translog/note.ts';
import { parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry log keygen --out FILE [--name NAME]

Makes an Ed25519 private key (PKCS#8 PEM) for signing the transparency log's checkpoint, writes it
to FILE (readable by you only; it refuses to overwrite one) and prints its verifier key, the line
clients pin with \`mcp-registry audit --key\`. Keep FILE as a CI secret (MCP_REGISTRY_LOG_KEY) or
pass it to \`build --log-key FILE\`; see docs/transparency-log.md.

Options:
  --out FILE    where to write the private key
  --name NAME   the key's name (default: the host of baseUrl in registry.config.yaml, as build signs)
  -h, --help    show this help

Exit codes: 0 written, 2 usage or environment error.
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, name: { type: 'string' } });
    if (positionals[0] !== 'keygen' || positionals.length !== 1) throw usageError('the only log command is `log keygen --out FILE`; see --help');
    if (values.out === undefined) throw usageError('--out FILE is required; see --help');
    const file = resolve(io.cwd, values.out);
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (exists)
      throw environmentError(
        `${values.out} already exists; a log key is never overwritten (a new key breaks every client that pinned the old one; key rotation is not built yet)`,
      );
    const name = values.name ?? logKeyName((await loadRegistryConfig(io.cwd)).baseUrl);
    const { privateKey } = generateKeyPairSync('ed25519');
    const vkey = verifierKeyString(name, privateKey);
    if (!vkey.ok) throw usageError(`--name: ${vkey.error}`);
    await writeFileAtomically(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await chmod(file, 0o600);
    io.stdout(`${vkey.value}\n`);
    return EXIT_OK;
  },
};

export default command;
