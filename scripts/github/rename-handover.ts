/**
 * The PR check's reading of a remote URL hand-over (lifecycle/handover.ts): a PR that deprecates or deletes
 * versions of a server outside the author's own `io.github.<login>` namespace and, in the same PR, publishes a
 * version listing a remote URL those versions list. The URL's host proves the claim with its well-known file,
 * fetched only when the network checks run (as verify's domain keys are). Its verdicts are shown on the status
 * file, as a rename record's are, and every hand-over goes to a maintainer: it changes another owner's versions.
 */
import { loadRegistryConfig } from '../config/registry-config.ts';
import { isRecord } from '../core/is-record.ts';
import { fetchHandoverProof } from '../lifecycle/handover-proof.ts';
import { handoverVerdict, type HandoverClaim, type HandoverProof } from '../lifecycle/handover.ts';
import { createHttpClient } from '../net/http-client.ts';
import { parseStatusFile } from '../state/status-file.ts';
import { trustedOrigins } from '../verify/endpoint-urls.ts';
import { verifyUserAgent } from '../verify/verify-services.ts';
import { parseStatusPath, type ClassifiedFile } from './classify-changes.ts';
import { listTree, showFile } from './git.ts';
import type { RenameReview } from './rename-review.ts';

interface ServerFile {
  name: string;
  version: string;
  urls: string[];
}

function readServerFile(text: string | undefined): ServerFile | undefined {
  let raw: unknown;
  try {
    raw = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || typeof raw.name !== 'string' || typeof raw.version !== 'string') return undefined;
  const remotes = Array.isArray(raw.remotes) ? raw.remotes : [];
  const urls = remotes.flatMap((r: unknown) => (isRecord(r) && typeof r.url === 'string' ? [r.url] : []));
  return { name: raw.name.toLowerCase(), version: raw.version, urls };
}

function released(status: string | undefined): boolean {
  return status === 'deprecated' || status === 'deleted';
}

/** The claims the PR makes: each URL a released version of another owner lists and an added version lists. */
export async function handoverClaims(
  repo: string,
  base: string,
  head: string,
  files: readonly ClassifiedFile[],
  author: string,
): Promise<{ path: string; claim: HandoverClaim }[]> {
  const added: ServerFile[] = [];
  for (const f of files.filter((x) => x.checkContent && (x.kind === 'new-server' || x.kind === 'new-version') && x.path.endsWith('.json'))) {
    const file = readServerFile(await showFile(repo, head, f.path));
    if (file !== undefined) added.push(file);
  }
  if (added.length === 0) return [];
  const out: { path: string; claim: HandoverClaim }[] = [];
  for (const f of files.filter((x) => parseStatusPath(x.path) !== undefined && x.checkContent)) {
    const { namespace, name } = parseStatusPath(f.path) as { namespace: string; name: string };
    const holder = `${namespace}/${name}`.toLowerCase();
    // The owner's own deprecation needs no proof of the host: it is the ordinary release.
    if (holder.startsWith(`io.github.${author.toLowerCase()}/`)) continue;
    const before = parseStatusFile((await showFile(repo, base, f.path)) ?? '').value;
    const after = parseStatusFile((await showFile(repo, head, f.path)) ?? '').value;
    const newly = Object.entries(after?.versions ?? {})
      .filter(([v, s]) => released(s.status) && !released(before?.versions?.[v]?.status))
      .map(([v]) => v);
    if (newly.length === 0) continue;
    const byUrl = new Map<string, string[]>();
    for (const path of await listTree(repo, head, `servers/${namespace}/${name}`)) {
      const file = readServerFile(await showFile(repo, head, path));
      if (file === undefined || file.name !== holder || !newly.includes(file.version)) continue;
      for (const url of file.urls) byUrl.set(url, [...(byUrl.get(url) ?? []), file.version]);
    }
    for (const [url, versions] of [...byUrl].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      // Within one namespace the owner moves its own URL: the status change's own proof (the namespace's) covers it.
      const sameNamespace = (n: string) => n.slice(0, n.indexOf('/')) === namespace.toLowerCase();
      const claimants = [...new Set(added.filter((a) => !sameNamespace(a.name) && a.urls.includes(url)).map((a) => a.name))].sort();
      for (const claimant of claimants) out.push({ path: f.path, claim: { url, holder, versions: versions.sort(), claimant } });
    }
  }
  return out;
}

/**
 * The hand-overs' verdicts, one review per status file. `network.tree` is the check tree (its
 * registry.config.yaml is the base branch's): given, the hosts' files are fetched; absent (the network checks
 * did not run), a maintainer checks them.
 */
export async function handoverReviews(
  repo: string,
  base: string,
  head: string,
  files: readonly ClassifiedFile[],
  author: string,
  /** The check tree and the `--endpoint TYPE=URL` values verify gets (`http=` overrides the hosts' origin, tests). */
  network?: { tree: string; endpoints: readonly string[] },
): Promise<RenameReview[]> {
  const claims = await handoverClaims(repo, base, head, files, author);
  if (claims.length === 0) return [];
  const proofs = new Map<string, HandoverProof>();
  const config = network === undefined ? undefined : await loadRegistryConfig(network.tree).catch((error: Error) => error);
  if (config instanceof Error) {
    // No configuration, no trusted origins: say so on each claim rather than fetch without the policy.
    for (const { claim } of claims)
      proofs.set(claim.url, { ok: false, url: claim.url, reason: `the registry configuration did not load (${config.message.slice(0, 200)})` });
  } else if (network !== undefined && config !== undefined) {
    const override = network.endpoints.findLast((e) => e.startsWith('http='))?.slice('http='.length);
    if (override !== undefined) config.endpoints.http = override;
    const http = createHttpClient({ trustedOrigins: trustedOrigins(config), userAgent: verifyUserAgent(config) });
    try {
      for (const { claim } of claims) if (!proofs.has(claim.url)) proofs.set(claim.url, await fetchHandoverProof(http, claim.url, config.endpoints.http));
    } finally {
      await http.close();
    }
  }
  const byPath = new Map<string, RenameReview>();
  for (const { path, claim } of claims) {
    const verdict = handoverVerdict(claim, proofs.get(claim.url));
    const review = byPath.get(path);
    if (review === undefined) byPath.set(path, { path, diagnostics: verdict.diagnostics, explanation: verdict.explanation });
    else byPath.set(path, { path, diagnostics: [...review.diagnostics, ...verdict.diagnostics], explanation: `${review.explanation}; ${verdict.explanation}` });
  }
  return [...byPath.values()];
}
