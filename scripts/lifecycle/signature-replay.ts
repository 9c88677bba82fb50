/**
 * Whether a status signature in a pull request belongs to the change it comes with, judged against the base
 * branch. Pure: the base's status file and signature, the PR's signature and the clock in, diagnostics out.
 * - bound: it names the base's status file (its SHA-256, or `absent`) as the state it replaces, so an old or
 *   abandoned change cannot be replayed once the file has moved on;
 * - recent: at most STATUS_SIGNATURE_TTL_MS old, so a change its owner never merged cannot be replayed later
 *   onto an unchanged file;
 * - later than the base's signature, so an old state with its genuine signature cannot come back.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { NO_PREVIOUS_STATE, parseStatusSignature, previousStateHash, STATUS_SIGNATURE_TTL_MS } from '../sign/status-signature.ts';

/** 72 hours (why: sign/status-signature.ts, which `verify` shares). */
export { STATUS_SIGNATURE_TTL_MS };

export interface StatusSignatureContext {
  statusPath: string;
  /** The base branch's `<status file>.sig`, undefined when absent. */
  baseSignature: string | undefined;
  /** The PR's `<status file>.sig`, undefined when absent. */
  headSignature: string | undefined;
  /** The base branch's status file bytes, undefined when absent. */
  baseStatus: Uint8Array | undefined;
  now: Date;
}

/** `signedAt` of either status signature format, for comparing a replacement with what it replaces. */
function signedAtOf(text: string): number | undefined {
  try {
    const at = (JSON.parse(text) as { signedAt?: unknown }).signedAt;
    return typeof at === 'string' ? Date.parse(at) : undefined;
  } catch {
    return undefined;
  }
}

function describeState(hash: string): string {
  return hash === NO_PREVIOUS_STATE ? 'no status file' : `the status file with SHA-256 ${hash.slice(0, 12)}…`;
}

export function statusSignatureProblems(c: StatusSignatureContext): Diagnostic[] {
  if (c.headSignature === undefined || c.headSignature === c.baseSignature) return [];
  const parsed = parseStatusSignature(c.headSignature, c.statusPath);
  // A signature that does not parse (or is the unbound v1 format) proves nothing; verify says why.
  if (!parsed.ok) return [];
  const sig = parsed.value;
  const out: Diagnostic[] = [];
  const resign = `Make the change again on the current base branch and sign it now: \`mcp-registry sign ${c.statusPath} --base <the branch the PR goes into>\`.`;
  const baseHash = previousStateHash(c.baseStatus);
  if (sig.previousSha256 !== baseHash) {
    out.push(
      diagnostic(
        'lifecycle/signature-base-mismatch',
        `${c.statusPath}.sig was made to replace ${describeState(sig.previousSha256)}, but the base branch has ${describeState(baseHash)}: it signs another change (an older or abandoned one) and cannot be replayed onto this state. ${resign}`,
      ),
    );
  }
  const age = c.now.getTime() - Date.parse(sig.signedAt);
  if (age > STATUS_SIGNATURE_TTL_MS) {
    out.push(
      diagnostic(
        'lifecycle/signature-expired',
        `${c.statusPath}.sig is dated ${sig.signedAt}; a status signature is valid for ${STATUS_SIGNATURE_TTL_MS / 3_600_000} hours, so an unmerged change cannot be replayed later. ${resign}`,
      ),
    );
  }
  const baseAt = c.baseSignature === undefined ? undefined : signedAtOf(c.baseSignature);
  if (baseAt !== undefined && !(Date.parse(sig.signedAt) > baseAt)) {
    out.push(
      diagnostic(
        'lifecycle/signature-replayed',
        `${c.statusPath}.sig is dated ${sig.signedAt}, not later than the signature it replaces (${new Date(baseAt).toISOString()}): an older signed state cannot be brought back. ${resign}`,
      ),
    );
  }
  return out;
}
