/** `{variable}` placeholders in transport and remote URLs. */

export function templateVariables(url: string): string[] {
  return [...url.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
}

/** The URL with every placeholder replaced by a harmless label, so it can be parsed. */
export function withPlaceholdersFilled(url: string): string {
  return url.replace(/\{[^{}]*\}/g, 'x');
}

/** The URL's host when the placeholders are not in the host; undefined when the host is templated or the URL unparsable. */
export function fixedHost(url: string): { protocol: string; hostname: string } | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1];
  if (authority === undefined || authority.includes('{')) return undefined;
  try {
    const parsed = new URL(url.replace(/\{[^{}]*\}/g, 'x'));
    return { protocol: parsed.protocol, hostname: parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase() };
  } catch {
    return undefined;
  }
}

/** What the official registry substitutes for well-known placeholders before it parses a templated URL. */
const KNOWN_PLACEHOLDERS: Record<string, string> = { host: 'example.com', port: '8080', path: 'api', protocol: 'http', scheme: 'http' };

/**
 * Whether a (templated) transport or remote URL is an http(s) URL with a host, read as the official
 * registry reads it: well-known placeholders become sample values, one in port position a number,
 * any other a plain word. So `{scheme}://{host}:{port}/mcp` is a URL, and `{base_url}/mcp` is not.
 */
export function isHttpUrlTemplate(url: string): boolean {
  const filled = url
    .replace(/\{([^{}]+)\}/g, (whole, name: string) => (Object.hasOwn(KNOWN_PLACEHOLDERS, name) ? (KNOWN_PLACEHOLDERS[name] ?? whole) : whole))
    .replace(/:\{[^{}]+\}(?=\/|$)/g, ':8080')
    .replace(/\{[^{}]+\}/g, 'placeholder');
  try {
    const parsed = new URL(filled);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host !== '';
  } catch {
    return false;
  }
}
