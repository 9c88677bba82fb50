/**
 * Where a domain publishes its keys: DNS TXT records on the domain, or the body of
 * `https://<domain>/.well-known/mcp-registry-auth`. Both hold `v=MCPv1; k=…; p=…` records.
 */
import type { Resolver } from 'node:dns/promises';
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { HttpClient, HttpFailure } from '../net/http-client.ts';
import { publicKeyFromRaw } from '../sign/keys.ts';
import type { PublicKeyInfo } from '../sign/keys.ts';
import { withOrigin } from './endpoint-urls.ts';

/** More key records than this on one domain is a misconfiguration, not a key ring. */
export const MAX_KEY_RECORDS = 16;
/** A DNS answer or well-known body longer than this is refused. */
export const MAX_KEY_SOURCE_BYTES = 64 * 1024;

export interface ParsedKeys {
  keys: PublicKeyInfo[];
  /** Records that look like MCP keys but cannot be used, with the reason. */
  invalid: string[];
  /** Total MCPv1 records seen. */
  records: number;
}

const RECORD = /v=MCPv1;\s*k=([^;\s]+);\s*p=([A-Za-z0-9+/=]+)/;

export function parseKeyRecords(texts: readonly string[]): ParsedKeys {
  const out: ParsedKeys = { keys: [], invalid: [], records: 0 };
  for (const text of texts) {
    for (const line of text.split(/\r?\n/)) {
      const [, algorithm, raw] = RECORD.exec(line) ?? [];
      if (algorithm === undefined || raw === undefined) continue;
      out.records += 1;
      if (out.records > MAX_KEY_RECORDS) continue;
      const key = publicKeyFromRaw(algorithm, raw);
      if (key.ok) out.keys.push(key.value);
      else out.invalid.push(key.error);
    }
  }
  return out;
}

/** Why a place holds no key texts; `missing` (nothing published there) is not worth reporting by itself. */
export interface KeysUnavailable {
  reason: string;
  missing: boolean;
}

export type KeySource = Result<string[], KeysUnavailable>;

/** TXT records of `domain`, each record's strings joined as DNS TXT semantics require. */
export async function dnsKeyTexts(resolver: Resolver, domain: string): Promise<KeySource> {
  try {
    const records = await resolver.resolveTxt(domain);
    const texts = records.map((chunks) => chunks.join(''));
    const size = texts.reduce((n, t) => n + t.length, 0);
    if (size > MAX_KEY_SOURCE_BYTES) {
      return err({ missing: false, reason: `the TXT answer for ${domain} is ${size} bytes, over the ${MAX_KEY_SOURCE_BYTES}-byte limit` });
    }
    return ok(texts);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENODATA' || code === 'ENOTFOUND') return err({ missing: true, reason: `${domain} has no TXT records` });
    return err({ missing: false, reason: `the DNS query for TXT ${domain} failed (${code ?? (error as Error).message}); check the DNS server and try again` });
  }
}

export async function wellKnownKeyTexts(http: HttpClient, domain: string, httpOverride: string | undefined): Promise<KeySource> {
  const target = withOrigin(`https://${domain}/.well-known/mcp-registry-auth`, httpOverride);
  const result = await http.send({ url: target.url, headers: target.headers, maxBytes: MAX_KEY_SOURCE_BYTES });
  if (!result.ok) return err({ missing: false, reason: describe(result.failure) });
  const { status, body } = result.response;
  if (status === 404) return err({ missing: true, reason: `${target.url} answers 404` });
  if (status !== 200) return err({ missing: false, reason: `GET ${target.url} → ${status}` });
  return ok([body.toString('utf8')]);
}

function describe(failure: HttpFailure): string {
  return failure.message;
}
