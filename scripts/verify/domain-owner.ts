/**
 * Domain namespaces: the version file's signature must verify with a key the domain publishes.
 * DNS records on the domain or a parent domain count (DNS grants subdomains); the well-known
 * file counts for the exact domain only, as in the official registry.
 */
import type { Resolver } from 'node:dns/promises';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { HttpClient } from '../net/http-client.ts';
import { fingerprint, keyRecord } from '../sign/keys.ts';
import type { PublicKeyInfo } from '../sign/keys.ts';
import { parseSignatureFile, signatureMatchesKey } from '../sign/signature-file.ts';
import { MAX_KEY_RECORDS, dnsKeyTexts, parseKeyRecords, wellKnownKeyTexts } from './domain-keys.ts';
import type { KeySource } from './domain-keys.ts';
import { finding } from './finding.ts';
import { domainAndParents } from './namespace.ts';
import { checkSignatureSubject } from './signature-check.ts';

export interface DomainProofInput {
  path: string;
  bytes: Uint8Array;
  name: string;
  version: string;
  domain: string;
  /** Text of `<path>.sig`, undefined when absent. */
  signatureText: string | undefined;
  /** Why an existing `<path>.sig` could not be read; reported instead of "missing". */
  signatureProblem?: string;
  now: Date;
  maxAgeMs: number;
}

export interface DomainProofServices {
  http: HttpClient;
  resolver: Resolver;
  httpOverride: string | undefined;
}

interface KeyLocation {
  label: string;
  fetch: () => Promise<KeySource>;
}

export async function verifyDomainOwner(input: DomainProofInput, services: DomainProofServices): Promise<Diagnostic[]> {
  const sigPath = `${input.path}.sig`;
  if (input.signatureProblem !== undefined) return [finding('domain-signature-invalid', `${sigPath}: ${input.signatureProblem}`, '/name')];
  if (input.signatureText === undefined) {
    return [
      finding(
        'domain-signature-missing',
        `${input.name} is in the ${input.domain} namespace: commit ${sigPath}, made with \`mcp-registry sign ${input.path}\` and the key published for ${input.domain}`,
        '/name',
      ),
    ];
  }
  const parsed = parseSignatureFile(input.signatureText);
  if (!parsed.ok) return [finding('domain-signature-invalid', `${sigPath}: ${parsed.error}`, '/name')];
  const sig = parsed.value;
  const problem = checkSignatureSubject(sig, input);
  if (problem) return [finding(problem.code, `${sigPath}: ${problem.message}`, '/name')];

  return domainKeyFindings(input.domain, sig, (key) => signatureMatchesKey(sig, key), sigPath, services);
}

/**
 * Looks up the keys `domain` publishes and reports why none of them made this signature: none when
 * `matches` accepts a published key with the signature's public key. Shared by version and status files.
 */
export async function domainKeyFindings(
  domain: string,
  sig: Pick<PublicKeyInfo, 'algorithm' | 'publicKey'>,
  matches: (key: PublicKeyInfo) => boolean,
  sigPath: string,
  services: DomainProofServices,
): Promise<Diagnostic[]> {
  const locations: KeyLocation[] = [
    ...domainAndParents(domain).map((d) => ({ label: `DNS TXT ${d}`, fetch: () => dnsKeyTexts(services.resolver, d) })),
    {
      label: `https://${domain}/.well-known/mcp-registry-auth`,
      fetch: () => wellKnownKeyTexts(services.http, domain, services.httpOverride),
    },
  ];
  const seen: PublicKeyInfo[] = [];
  const problems: string[] = [];
  for (const location of locations) {
    const source = await location.fetch();
    if (!source.ok) {
      if (!source.error.missing) problems.push(source.error.reason);
      continue;
    }
    const keys = parseKeyRecords(source.value);
    if (keys.records > MAX_KEY_RECORDS) {
      problems.push(`${location.label} holds ${keys.records} MCPv1 records, more than ${MAX_KEY_RECORDS}; remove stale ones`);
      continue;
    }
    problems.push(...keys.invalid.map((e) => `${location.label}: ${e}`));
    for (const key of keys.keys) {
      seen.push(key);
      if (key.publicKey === sig.publicKey && matches(key)) return [];
    }
  }
  const record = keyRecord(sig);
  const where = `as a TXT record on ${domain} or at https://${domain}/.well-known/mcp-registry-auth`;
  const published = seen.find((k) => k.publicKey === sig.publicKey && k.algorithm === sig.algorithm);
  if (published) {
    return [
      finding(
        'domain-signature-invalid',
        `${sigPath}: the signature does not verify with ${fingerprint(published)}; sign again with the matching private key`,
        '/name',
      ),
    ];
  }
  if (seen.length > 0) {
    return [
      finding(
        'domain-key-not-published',
        `${sigPath} was made with ${fingerprint(sig)}, but ${domain} publishes only ${seen.map(fingerprint).join(', ')}; sign with a published key or publish \`${record}\` ${where}`,
        '/name',
      ),
    ];
  }
  if (problems.length > 0) {
    return [
      finding(
        'domain-key-unavailable',
        `no usable key for ${domain}: ${problems.join('; ')}; the key to publish for this signature is \`${record}\` ${where}`,
        '/name',
      ),
    ];
  }
  return [finding('domain-key-missing', `${domain} publishes no MCP key; publish \`${record}\` ${where}`, '/name')];
}
