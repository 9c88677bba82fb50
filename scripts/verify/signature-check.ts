/** Does a signature file speak for this version file, now? (pure) */
import type { SignatureFile } from '../sign/signature-file.ts';
import { sha256Hex } from '../sign/signature-file.ts';

/** Clock skew tolerated for a signing time in the future. */
export const FUTURE_SKEW_MS = 5 * 60 * 1000;
export const DEFAULT_SIGNATURE_MAX_AGE_DAYS = 30;

export type SignatureProblem =
  | { code: 'domain-signature-reused'; message: string }
  | { code: 'domain-signature-bytes-mismatch'; message: string }
  | { code: 'domain-signature-expired'; message: string }
  | { code: 'domain-signature-future'; message: string };

export interface SignatureSubject {
  path: string;
  bytes: Uint8Array;
  name: string;
  version: string;
  now: Date;
  maxAgeMs: number;
}

export function checkSignatureSubject(sig: SignatureFile, subject: SignatureSubject): SignatureProblem | undefined {
  const resign = `sign the file again: \`mcp-registry sign ${subject.path}\``;
  if (sig.name.toLowerCase() !== subject.name.toLowerCase() || sig.version !== subject.version) {
    return {
      code: 'domain-signature-reused',
      message: `the signature was made for ${sig.name}@${sig.version}, not ${subject.name}@${subject.version}; a signature cannot be reused for another version — ${resign}`,
    };
  }
  if (sig.sha256 !== sha256Hex(subject.bytes)) {
    return {
      code: 'domain-signature-bytes-mismatch',
      message: `the signature covers different bytes (the file changed after it was signed); ${resign}`,
    };
  }
  return checkSignatureAge(sig.signedAt, subject, resign);
}

/** `30 days`, `72 hours`: a week or more in days, less in hours. */
function ageLimit(maxAgeMs: number): string {
  if (maxAgeMs >= 7 * 86_400_000) return `${Math.round(maxAgeMs / 86_400_000)} days`;
  const hours = Math.round(maxAgeMs / 3_600_000);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** A signing time in the future or older than the allowed age; `resign` says how to sign again. */
export function checkSignatureAge(signedAtText: string, subject: Pick<SignatureSubject, 'now' | 'maxAgeMs'>, resign: string): SignatureProblem | undefined {
  const signedAt = Date.parse(signedAtText);
  const now = subject.now.getTime();
  if (signedAt - now > FUTURE_SKEW_MS) {
    return {
      code: 'domain-signature-future',
      message: `the signature is dated ${signedAtText}, in the future; check the signing machine's clock and ${resign}`,
    };
  }
  if (now - signedAt > subject.maxAgeMs) {
    return { code: 'domain-signature-expired', message: `the signature from ${signedAtText} is older than ${ageLimit(subject.maxAgeMs)}; ${resign}` };
  }
  return undefined;
}
