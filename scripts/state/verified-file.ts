/**
 * Reading and writing `registry/verified/<namespace>/<name>.yaml`: for each version, which of its packages
 * `mcp-registry verify --record` proved to name the server back, by what, and when. Registry-owned: the
 * build copies it into `_meta[<metaNamespace>].verification.packages` and the server page shows it.
 * Pure: text in, value and diagnostics out; value in, deterministic text out.
 */
import { Document, parseDocument } from 'yaml';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { STATE_DIR } from '../core/registry-state.ts';

/** What the verify stage checked for a package of this registry type (docs/verification.md). */
export const PACKAGE_PROOFS = {
  npm: 'npm mcpName',
  pypi: 'PyPI README mcp-name',
  nuget: 'NuGet README mcp-name',
  oci: 'OCI label io.modelcontextprotocol.server.name',
  mcpb: 'MCPB fileSha256',
  cargo: 'crate README mcp-name',
} as const satisfies Record<string, string>;

export type PackageProof = (typeof PACKAGE_PROOFS)[keyof typeof PACKAGE_PROOFS];

export interface VerifiedPackage {
  registryType: string;
  identifier: string;
  /** What was proved (PACKAGE_PROOFS). */
  proved: string;
  /** RFC 3339, UTC. */
  checkedAt: string;
}

/** Version → its proven packages, in the order server.json lists them. */
export type VerifiedRecord = Record<string, VerifiedPackage[]>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const VERIFIED_PATH = new RegExp(`^${STATE_DIR}/verified/([^/]+)/([^/]+)\\.yaml$`);
const PACKAGE_KEYS = ['registryType', 'identifier', 'proved', 'checkedAt'] as const;

/** `com.example/a` → `registry/verified/com.example/a.yaml` (lower-cased, like the status files). */
export function verifiedPath(serverName: string): string {
  const lower = serverName.toLowerCase();
  const slash = lower.indexOf('/');
  return `${STATE_DIR}/verified/${lower.slice(0, slash)}/${lower.slice(slash + 1)}.yaml`;
}

/** `registry/verified/com.example/a.yaml` → `com.example/a`; other paths → undefined. */
export function verifiedServer(path: string): string | undefined {
  const [, namespace, name] = VERIFIED_PATH.exec(path) ?? [];
  return namespace !== undefined && name !== undefined ? `${namespace}/${name}` : undefined;
}

/** The proof for a registry type, or undefined when the verify stage proves none for it. */
export function packageProof(registryType: string): string | undefined {
  return Object.hasOwn(PACKAGE_PROOFS, registryType) ? PACKAGE_PROOFS[registryType as keyof typeof PACKAGE_PROOFS] : undefined;
}

export function parseVerifiedFile(text: string): { value?: VerifiedRecord; diagnostics: Diagnostic[] } {
  const doc = parseDocument(text, { uniqueKeys: true, schema: 'failsafe' });
  const [e] = doc.errors;
  if (e) return { diagnostics: [diagnostic('lifecycle/yaml', `not valid YAML: ${e.message.split('\n')[0]}`)] };
  const raw: unknown = doc.toJS();
  const shape = (message: string) => ({ diagnostics: [diagnostic('lifecycle/shape', message)] });
  if (!isRecord(raw) || Object.keys(raw).some((k) => k !== 'versions') || !isRecord(raw.versions))
    return shape('a verified record is a mapping with only versions: {<version>: [packages]}');
  const out: VerifiedRecord = {};
  for (const [version, list] of Object.entries(raw.versions)) {
    if (!Array.isArray(list)) return shape(`versions.${version} must be a list of packages`);
    const packages: VerifiedPackage[] = [];
    for (const item of list) {
      if (!isRecord(item) || Object.keys(item).some((k) => !(PACKAGE_KEYS as readonly string[]).includes(k)))
        return shape(`each package under versions.${version} has only ${PACKAGE_KEYS.join(', ')}`);
      const [registryType, identifier, proved, checkedAt] = PACKAGE_KEYS.map((k) => item[k]);
      if (typeof registryType !== 'string' || typeof identifier !== 'string' || identifier === '' || typeof proved !== 'string')
        return shape(`each package under versions.${version} names its registryType, identifier and what was proved`);
      if (packageProof(registryType) !== proved) return shape(`versions.${version}: a package of type ${registryType} cannot be proved by "${proved}"`);
      if (typeof checkedAt !== 'string' || !RFC3339.test(checkedAt) || Number.isNaN(Date.parse(checkedAt)))
        return shape(`versions.${version}: checkedAt must be an RFC 3339 UTC time such as 2026-01-02T03:04:05Z`);
      packages.push({ registryType, identifier, proved, checkedAt });
    }
    out[version] = packages;
  }
  return { value: out, diagnostics: [] };
}

/** `record` with `version`'s packages replaced (a later run is the newer evidence). */
export function withVerifiedVersion(record: VerifiedRecord, version: string, packages: readonly VerifiedPackage[]): VerifiedRecord {
  return { ...record, [version]: [...packages] };
}

/** Deterministic: versions sorted by code unit, packages in the order given, keys in a fixed order. */
export function serializeVerifiedFile(serverName: string, record: VerifiedRecord): string {
  const versions: Record<string, Record<string, string>[]> = {};
  for (const version of Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    versions[version] = (record[version] ?? []).map((p) => ({
      registryType: p.registryType,
      identifier: p.identifier,
      proved: p.proved,
      checkedAt: p.checkedAt,
    }));
  }
  const header = `# Registry-owned: packages of ${serverName.toLowerCase()} that \`mcp-registry verify --record\` proved name the server back.\n`;
  return header + new Document({ versions }).toString();
}
