/**
 * Remote URL hand-over proven by a well-known file on the URL's host. A remote URL belongs to one active server
 * at a time; a server that wants a URL another server still lists may have the holder's versions that list it
 * released (deprecated) in its own pull request when the URL's host says so: `https://<host>/.well-known/
 * mcp-registry-remotes` lists the servers that may list remotes on that host, one `v=MCPv1; server=<name>` line
 * each, beside the `mcp-registry-auth` file whose `v=MCPv1; …` records prove a domain namespace. Pure: texts and
 * facts in, the proof's location, the names it grants, and diagnostics out.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';

export const HANDOVER_FILE = '/.well-known/mcp-registry-remotes';
/** A well-known body longer than this is refused (as for mcp-registry-auth). */
export const MAX_HANDOVER_BYTES = 64 * 1024;

const LINE = /^\s*v=MCPv1;\s*server=([a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+)\s*;?\s*$/;

/** `https://mcp.example.com/x` → `https://mcp.example.com/.well-known/mcp-registry-remotes`; undefined when not an https URL. */
export function handoverFileUrl(remoteUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(remoteUrl.replace(/\{[^}]*\}/g, 'x'));
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.hostname === '') return undefined;
  return `https://${url.host.toLowerCase()}${HANDOVER_FILE}`;
}

/** The server names (lower-cased) the file grants; other lines (comments, other records) are ignored. */
export function parseHandoverFile(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const name = LINE.exec(line)?.[1];
    if (name !== undefined) out.add(name.toLowerCase());
  }
  return [...out].sort();
}

/** What the check learnt from the host: the names granted, or why there is no answer. */
export type HandoverProof = { ok: true; url: string; servers: readonly string[] } | { ok: false; url: string; reason: string };

/** One URL the PR moves: `holder`'s versions that list it are released here, and `claimant` lists it. */
export interface HandoverClaim {
  url: string;
  holder: string;
  /** The holder's versions that list the URL and that the PR deprecates or deletes. */
  versions: readonly string[];
  claimant: string;
}

export interface HandoverVerdict {
  diagnostics: Diagnostic[];
  /** For the sticky comment: the conflict and the proof. */
  explanation: string;
}

/**
 * A claim is proven when the host's file names the claimant. Without the file fetched (`proof` undefined: the
 * network checks did not run) a maintainer checks it; a file that does not name the claimant, or no file, is
 * a claim without proof (`lifecycle/handover-without-proof`).
 */
export function handoverVerdict(claim: HandoverClaim, proof: HandoverProof | undefined): HandoverVerdict {
  const conflict = `${claim.holder} ${claim.versions.join(', ')} list${claim.versions.length === 1 ? 's' : ''} the remote ${claim.url}, which ${claim.claimant} claims; this pull request releases it from ${claim.holder}`;
  const where = handoverFileUrl(claim.url) ?? `https://<host>${HANDOVER_FILE}`;
  if (proof === undefined)
    return {
      diagnostics: [],
      explanation: `it hands over a remote URL: ${conflict}; the network checks did not run, so a maintainer checks that ${where} names ${claim.claimant}`,
    };
  if (proof.ok && proof.servers.includes(claim.claimant.toLowerCase()))
    return {
      diagnostics: [],
      explanation: `it hands over a remote URL: ${conflict}; proof of control of the host: ${proof.url} names ${claim.claimant}; a maintainer merges every hand-over, because it changes ${claim.holder}'s versions`,
    };
  const found = proof.ok ? `${proof.url} names ${proof.servers.length === 0 ? 'no server' : proof.servers.join(', ')}` : proof.reason;
  return {
    diagnostics: [
      diagnostic(
        'lifecycle/handover-without-proof',
        `${conflict}, without proof of control of the host (${found}): publish the line \`v=MCPv1; server=${claim.claimant}\` at ${where}, or ask ${claim.holder}'s owner to deprecate those versions`,
      ),
    ],
    explanation: `it claims the remote ${claim.url} from ${claim.holder} without proof of control of its host (${found})`,
  };
}
