/**
 * The file-system edge of verification: validates the paths, then verifies every entry that
 * validated, and merges both into one report (same shape as `validate`'s).
 */
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { Diagnostic, FileReport, Report } from '../core/diagnostics.ts';
import { diagnostic, fileReport, report } from '../core/diagnostics.ts';
import type { LoadCode } from '../load/codes.ts';
import { createPositionLocator } from '../load/positions.ts';
import { compareDiagnostics } from '../validate/validate-document.ts';
import { validateBytes } from '../validate/validate-document.ts';
import { validateTree } from '../validate/validate-tree.ts';
import type { TreeOptions } from '../validate/validate-tree.ts';
import type { ValidatedEntry } from '../validate/validate-tree.ts';
import { SIGNATURE_SUFFIX } from '../sign/signature-file.ts';
import { verifyEntry } from './verify-entry.ts';

export { isEnvironmentFinding } from './finding.ts';
import { statusFileServer, verifyStatusOwner } from './status-owner.ts';
import type { VerifyServices } from './verify-entry.ts';

/** Version files verified at once; each one's packages and remotes run in parallel too. */
const ENTRY_CONCURRENCY = 16;

/** A signature file is a few hundred bytes; anything much larger is not one. */
const MAX_SIGNATURE_BYTES = 64 * 1024;

export interface SignatureRead {
  /** Text of the file; undefined when there is none or it could not be read. */
  text: string | undefined;
  /** Why an existing `.sig` could not be read (not a regular file, too large, no permission). */
  problem?: string;
}

/**
 * Reads `<file>.sig` without trusting what is there: a FIFO or device (a PR can commit a symlink to
 * /dev/zero) must neither hang the run (O_NONBLOCK, then only regular files are read) nor exhaust memory.
 */
export async function readSignature(path: string): Promise<SignatureRead> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { text: undefined };
    return {
      text: undefined,
      problem: `the signature file cannot be read (${code ?? (error as Error).message}); commit the file \`mcp-registry sign\` writes`,
    };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { text: undefined, problem: 'the signature file is not a regular file; commit the file `mcp-registry sign` writes' };
    const buffer = Buffer.alloc(MAX_SIGNATURE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_SIGNATURE_BYTES) {
        return { text: undefined, problem: `the signature file is over ${MAX_SIGNATURE_BYTES} bytes; create it again with \`mcp-registry sign\`` };
      }
    }
    return { text: buffer.subarray(0, length).toString('utf8') };
  } finally {
    await handle.close();
  }
}

/** Valid files outside servers/ (an author's own server.json): verified too, so authors can check before a PR. */
async function outsideEntries(root: string, config: RegistryConfig, validation: Report, inside: readonly ValidatedEntry[]): Promise<ValidatedEntry[]> {
  const known = new Set(inside.map((e) => e.path));
  const out: ValidatedEntry[] = [];
  for (const file of validation.files) {
    if (!file.ok || known.has(file.path)) continue;
    const bytes = await readFile(isAbsolute(file.path) ? file.path : join(root, file.path));
    const value = validateBytes(bytes, file.path, config).value;
    if (value !== undefined) out.push({ path: file.path, server: value });
  }
  return out;
}

export async function verifyTree(
  root: string,
  config: RegistryConfig,
  paths: readonly string[] | undefined,
  services: VerifyServices,
  options: TreeOptions = {},
): Promise<Report> {
  const statusPaths = (paths ?? []).filter((p) => statusFileServer(p) !== undefined);
  const otherPaths = paths?.filter((p) => statusFileServer(p) === undefined);
  if (otherPaths !== undefined && otherPaths.length === 0) return report(await verifyStatusFiles(root, statusPaths, services));
  const { report: validation, entries: registryEntries } = await validateTree(root, config, otherPaths, undefined, options);
  const entries = [...registryEntries, ...(await outsideEntries(root, config, validation, registryEntries))];
  const found = new Map<string, Diagnostic[]>();
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const entry = entries[next++];
      if (entry === undefined) break;
      const absolute = isAbsolute(entry.path) ? entry.path : join(root, entry.path);
      const bytes = await readFile(absolute);
      const signature = await readSignature(`${absolute}${SIGNATURE_SUFFIX}`);
      const diagnostics = await verifyEntry(
        { path: entry.path, server: entry.server, bytes, signatureText: signature.text, ...(signature.problem ? { signatureProblem: signature.problem } : {}) },
        services,
      );
      if (diagnostics.length > 0) {
        const locator = createPositionLocator(bytes.toString('utf8'));
        found.set(
          entry.path,
          diagnostics.map((d) => ({ ...d, ...locator.locate(d.pointer) })),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ENTRY_CONCURRENCY, entries.length) }, worker));

  const files: FileReport[] = validation.files.map((file) => {
    const extra = found.get(file.path);
    return extra ? fileReport(file.path, [...file.diagnostics, ...extra].sort(compareDiagnostics)) : file;
  });
  const statuses = await verifyStatusFiles(root, statusPaths, services);
  return report([...files, ...statuses].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
}

/** Lifecycle status files named on the command line: who may have made the change (see status-owner.ts). */
async function verifyStatusFiles(root: string, paths: readonly string[], services: VerifyServices): Promise<FileReport[]> {
  const out: FileReport[] = [];
  for (const path of [...new Set(paths.map((p) => p.replace(/\\/g, '/').replace(/^\.\//, '')))].sort()) {
    // The caller passes only paths statusFileServer names.
    const serverName = statusFileServer(path);
    if (serverName === undefined) continue;
    const absolute = join(root, path);
    let bytes: Buffer;
    try {
      bytes = await readFile(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      out.push(fileReport(path, [diagnostic('file/read-error' satisfies LoadCode, `cannot read the status file (${code}); check the path`)]));
      continue;
    }
    const signature = await readSignature(`${absolute}${SIGNATURE_SUFFIX}`);
    const diagnostics = await verifyStatusOwner(
      {
        path,
        serverName,
        bytes,
        signatureText: signature.text,
        ...(signature.problem ? { signatureProblem: signature.problem } : {}),
      },
      services,
    );
    out.push(fileReport(path, diagnostics));
  }
  return out;
}
