/**
 * A status signature may only move forward in time. An old status file with its old, genuine signature
 * (both in the git history) would otherwise undo the owner's later change; the expiry alone leaves a window.
 * Pure: the base's and the PR's signature texts in, a diagnostic or nothing out.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { parseStatusSignature } from '../sign/status-signature.ts';

export function statusSignatureReplay(statusPath: string, baseText: string | undefined, headText: string | undefined): Diagnostic | undefined {
  if (baseText === undefined || headText === undefined || baseText === headText) return undefined;
  const base = parseStatusSignature(baseText, statusPath);
  const head = parseStatusSignature(headText, statusPath);
  if (!base.ok || !head.ok) return undefined;
  if (Date.parse(head.value.signedAt) > Date.parse(base.value.signedAt)) return undefined;
  return {
    code: 'lifecycle/signature-replayed',
    severity: 'error',
    message: `${statusPath}.sig is dated ${head.value.signedAt}, not later than the signature it replaces (${base.value.signedAt}): an older signed state cannot be brought back. Make the change again and sign it now: \`mcp-registry sign ${statusPath}\`.`,
    pointer: '',
    line: 0,
    column: 0,
  };
}
