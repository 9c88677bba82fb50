/**
 * `mcp-registry verify --record`: after a run, writes `registry/verified/<ns>/<name>.yaml` (state/verified-file.ts)
 * for every version file that passed, listing the packages whose back-reference was proved. A version that
 * failed is left as it was recorded before. The file-system edge; the shape is state/verified-file.ts's.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Report } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import {
  packageProof,
  parseVerifiedFile,
  serializeVerifiedFile,
  verifiedPath,
  withVerifiedVersion,
  type VerifiedPackage,
  type VerifiedRecord,
} from '../state/verified-file.ts';

const VERSION_FILE = /^servers\/[^/]+\/[^/]+\/[^/]+\.json$/;

/** Pure: the packages of a passed version that carry a provable back-reference, stamped `checkedAt`. */
export function provenPackages(server: unknown, checkedAt: string): VerifiedPackage[] {
  if (!isRecord(server) || !Array.isArray(server.packages)) return [];
  const out: VerifiedPackage[] = [];
  for (const pkg of server.packages) {
    if (!isRecord(pkg) || typeof pkg.registryType !== 'string' || typeof pkg.identifier !== 'string') continue;
    const proved = packageProof(pkg.registryType);
    if (proved !== undefined) out.push({ registryType: pkg.registryType, identifier: pkg.identifier, proved, checkedAt });
  }
  return out;
}

/** Writes the records; returns the paths written, sorted. A record that does not parse is an error value. */
export async function recordVerified(root: string, report: Report, now: Date): Promise<{ ok: true; written: string[] } | { ok: false; error: string }> {
  const checkedAt = `${now.toISOString().slice(0, 19)}Z`;
  const byFile = new Map<string, { name: string; record: VerifiedRecord }>();
  for (const file of report.files) {
    if (!file.ok || !VERSION_FILE.test(file.path)) continue;
    const server: unknown = JSON.parse(await readFile(join(root, file.path), 'utf8'));
    if (!isRecord(server) || typeof server.name !== 'string' || typeof server.version !== 'string') continue;
    const packages = provenPackages(server, checkedAt);
    if (packages.length === 0) continue;
    const path = verifiedPath(server.name);
    let entry = byFile.get(path);
    if (entry === undefined) {
      const text = await readFile(join(root, path), 'utf8').catch(() => undefined);
      const parsed = text === undefined ? { value: {} } : parseVerifiedFile(text);
      if (parsed.value === undefined) return { ok: false, error: `${path} is not a valid verified record; fix or remove it before recording` };
      entry = { name: server.name, record: parsed.value };
      byFile.set(path, entry);
    }
    entry.record = withVerifiedVersion(entry.record, server.version, packages);
  }
  const written = [...byFile.keys()].sort();
  for (const path of written) {
    const entry = byFile.get(path);
    if (entry === undefined) continue;
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), serializeVerifiedFile(entry.name, entry.record));
  }
  return { ok: true, written };
}
