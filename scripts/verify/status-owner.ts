/**
 * Ownership of a lifecycle status change (`registry/status/<ns>/<name>.yaml`). A domain namespace proves
 * it with `<status file>.sig`, checked like a version file's signature: these bytes, this server, recent
 * (within the PR check's 72 hours, not a version's 30 days), and made with a key the domain publishes. A GitHub namespace proves it by the author, as for versions.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { STATE_DIR } from '../core/registry-state.ts';
import { sha256Hex } from '../sign/signature-file.ts';
import { parseStatusSignature, STATUS_SIGNATURE_TTL_MS, statusSignatureMatchesKey } from '../sign/status-signature.ts';
import { domainKeyFindings } from './domain-owner.ts';
import { finding } from './finding.ts';
import { verifyGitHubOwner } from './github-owner.ts';
import { classifyNamespace } from './namespace.ts';
import { checkSignatureAge } from './signature-check.ts';
import type { VerifyServices } from './verify-entry.ts';

const STATUS_FILE = new RegExp(`^${STATE_DIR}/status/([^/]+)/([^/]+)\\.yaml$`);

/** `registry/status/<ns>/<name>.yaml` → `ns/name`; anything else → undefined. */
export function statusFileServer(path: string): string | undefined {
  const m = STATUS_FILE.exec(path.replace(/\\/g, '/').replace(/^\.\//, ''));
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export interface StatusFileToVerify {
  path: string;
  serverName: string;
  bytes: Uint8Array;
  /** Text of `<path>.sig`, undefined when absent. */
  signatureText: string | undefined;
  signatureProblem?: string;
}

export async function verifyStatusOwner(entry: StatusFileToVerify, services: VerifyServices): Promise<Diagnostic[]> {
  const ns = classifyNamespace(entry.serverName);
  if (ns.kind === 'github') return services.published ? [] : verifyGitHubOwner(entry.serverName, ns.owner, services.author, services);
  if (ns.kind !== 'domain') {
    return [
      finding('namespace-unverifiable', `no one can prove ownership of the namespace '${ns.namespace}'; only a maintainer can change this status file`, ''),
    ];
  }
  const sigPath = `${entry.path}.sig`;
  const resign = `sign the status file again: \`mcp-registry sign ${entry.path}\``;
  if (entry.signatureProblem !== undefined) return [finding('domain-signature-invalid', `${sigPath}: ${entry.signatureProblem}`, '')];
  if (entry.signatureText === undefined) {
    return [
      finding(
        'domain-signature-missing',
        `${entry.serverName} is in the ${ns.domain} namespace: commit ${sigPath}, made with \`mcp-registry sign ${entry.path}\` (or --key-file on deprecate, delete, restore) and the key published for ${ns.domain}`,
        '',
      ),
    ];
  }
  const parsed = parseStatusSignature(entry.signatureText, entry.path);
  if (!parsed.ok) return [finding(parsed.versionSignature ? 'domain-signature-reused' : 'domain-signature-invalid', `${sigPath}: ${parsed.error}`, '')];
  const sig = parsed.value;
  if (sig.name.toLowerCase() !== entry.serverName.toLowerCase()) {
    return [
      finding(
        'domain-signature-reused',
        `${sigPath}: the signature was made for the status of ${sig.name}, not ${entry.serverName}; a signature cannot be reused for another server — ${resign}`,
        '',
      ),
    ];
  }
  if (sig.sha256 !== sha256Hex(entry.bytes)) {
    return [
      finding(
        'domain-signature-bytes-mismatch',
        `${sigPath}: the signature covers different bytes (the status file changed after it was signed); ${resign}`,
        '',
      ),
    ];
  }
  // The PR check's 72 hours (or a shorter verify.signatureMaxAgeDays), so `verify` alone answers as the PR check
  // will; merged files (--published) are judged by their key, not their age.
  const maxAgeMs = services.published ? Number.POSITIVE_INFINITY : Math.min(STATUS_SIGNATURE_TTL_MS, services.signatureMaxAgeMs);
  const age = checkSignatureAge(sig.signedAt, { now: services.now, maxAgeMs }, resign);
  if (age) return [finding(age.code, `${sigPath}: ${age.message}`, '')];
  return domainKeyFindings(ns.domain, sig, (key) => statusSignatureMatchesKey(sig, key), sigPath, {
    http: services.http,
    resolver: services.resolver,
    httpOverride: services.endpoints.http,
  });
}
