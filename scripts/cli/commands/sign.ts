/** `mcp-registry sign FILE...`: writes FILE.sig, proving a domain key holder made this exact file. */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { EXIT_OK } from '../../core/errors.ts';
import { environmentError, usageError } from '../../core/errors.ts';
import { writeFileAtomically } from '../../files/atomic-file.ts';
import { git, revision, showBytes } from '../../github/git.ts';
import { fingerprint, keyRecord } from '../../sign/keys.ts';
import { KEY_ENV, loadPrivateKey, privateKeyText } from '../../sign/private-key-source.ts';
import { namespaceDomain } from '../../validate/rules/remotes.ts';
import { signStatusFileAt, statusServerOf } from '../../sign/sign-files.ts';
import { SIGNATURE_SUFFIX, serializeSignatureFile, signVersionFile } from '../../sign/signature-file.ts';
import { parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

export { KEY_ENV };

const command: Command = {
  help: `Usage: mcp-registry sign FILE... [--key-file PATH] [--base REV]
       mcp-registry sign --print-record [--key-file PATH]

Signs version files of a domain namespace (com.example/…): for each FILE writes FILE${SIGNATURE_SUFFIX}, a
signature over the file's exact bytes, its name and version, and the time. Commit it beside the
file. \`verify\` accepts it when the key is published for the domain as a DNS TXT record or at
https://<domain>/.well-known/mcp-registry-auth, in the official registry's format:
  v=MCPv1; k=ed25519; p=<base64 public key>      (or k=ecdsap384)
Keys already used with the official registry work unchanged.

A lifecycle status file (registry/status/<namespace>/<name>.yaml, written by deprecate, delete,
restore) is signed the same way: FILE.sig covers its exact bytes, the server name and the state it
replaces (the file as committed at --base, or its absence there), so the bot merges the domain
owner's status change and nobody can replay it onto another state. It is valid for 72 hours.
\`deprecate|delete|restore --key-file PATH\` sign it for you.

The private key: --key-file PATH, or the environment variable ${KEY_ENV}; PEM (PKCS#8), or hex
(64 digits: Ed25519 seed; 96 digits: P-384 scalar). Make one with
  openssl genpkey -algorithm ed25519 -out key.pem

Options:
  --key-file PATH    read the private key from PATH
  --print-record     print the record to publish for the key, sign nothing
  --base REV         status files: the git revision holding the state the change replaces, i.e. the
                     branch your pull request goes into (default: HEAD, for an uncommitted change)
  -h, --help         show this help

Version signatures are valid for 30 days (registry.config.yaml: verify.signatureMaxAgeDays), status
signatures for 72 hours (or that, when shorter); sign again after editing the file. Exit codes: 0 signed, 2 usage or environment error.
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      'key-file': { type: 'string' },
      'print-record': { type: 'boolean' },
      base: { type: 'string' },
    });
    const keyText = await privateKeyText(io.cwd, io.env, values['key-file']);
    if (!keyText) throw usageError(`no private key: pass --key-file PATH or set ${KEY_ENV}`);
    const { key, pub } = loadPrivateKey(keyText);

    if (values['print-record']) {
      io.stdout(`${keyRecord(pub)}\n`);
      return EXIT_OK;
    }
    if (positionals.length === 0) throw usageError('name the version files to sign; see --help');
    for (const file of positionals) {
      const absolute = resolve(io.cwd, file);
      const statusServer = statusServerOf(absolute);
      if (statusServer !== undefined) {
        refuseGithubNamespace(file, statusServer);
        const previous = await committedState(absolute, file, values.base ?? 'HEAD');
        await signStatusFileAt(absolute, statusServer, { key, pub }, new Date(), previous);
        io.stdout(`${file}${SIGNATURE_SUFFIX}: signed the status of ${statusServer} with ${fingerprint(pub)}\n`);
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await readFile(absolute);
      } catch (error) {
        throw environmentError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      let doc: { name?: unknown; version?: unknown };
      try {
        doc = JSON.parse(bytes.toString('utf8')) as typeof doc;
      } catch {
        throw usageError(`${file}: not JSON; run \`mcp-registry validate ${file}\``);
      }
      if (typeof doc?.name !== 'string' || typeof doc.version !== 'string') {
        throw usageError(`${file}: needs string "name" and "version"; run \`mcp-registry validate ${file}\``);
      }
      refuseGithubNamespace(file, doc.name);
      const signed = signVersionFile(key, { bytes, name: doc.name, version: doc.version, now: new Date() });
      if (!signed.ok) throw usageError(signed.error);
      await writeFileAtomically(`${absolute}${SIGNATURE_SUFFIX}`, serializeSignatureFile(signed.value));
      io.stdout(`${file}${SIGNATURE_SUFFIX}: signed ${doc.name}@${doc.version} with ${fingerprint(pub)}\n`);
    }
    io.stdout(`The domain must publish: ${keyRecord(pub)}\n`);
    return EXIT_OK;
  },
};
/**
 * The status file as committed at `rev` (undefined when absent there): the state a signed change replaces.
 * Refuses when `rev` already holds these bytes, since then it is not the state the change started from.
 */
async function committedState(absolute: string, file: string, rev: string): Promise<Buffer | undefined> {
  let real: string;
  let current: Buffer;
  try {
    real = await realpath(absolute);
    current = await readFile(real);
  } catch (error) {
    throw environmentError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const advice = 'run it in a clone of the registry, with --base naming the branch your pull request goes into (e.g. --base origin/main)';
  let top: string;
  try {
    top = (await git(dirname(real), ['rev-parse', '--show-toplevel'])).trim();
    await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision(rev)}^{commit}`]);
  } catch {
    throw usageError(`${file}: cannot read the state this change replaces from git revision ${rev}; ${advice}`);
  }
  const path = relative(top, real).split(sep).join('/');
  const previous = await showBytes(top, rev, path);
  if (previous?.equals(current)) {
    throw usageError(
      `${file} is committed at ${rev} exactly as it is: the signature must name the state the change replaces; pass --base with the branch your pull request goes into (e.g. --base origin/main)`,
    );
  }
  return previous;
}

/** GitHub namespaces are proven by the pull request's author, so a signature there proves nothing. */
function refuseGithubNamespace(file: string, serverName: string): void {
  if (serverName.includes('/') && namespaceDomain(serverName) === undefined) {
    throw usageError(
      `${file}: ${serverName} is in a GitHub namespace, which the pull request author's login proves; signatures are only for domain namespaces (com.example/...)`,
    );
  }
}

export default command;
