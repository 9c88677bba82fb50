/** `{variable}` placeholders in transport and remote URLs. */

export function templateVariables(url: string): string[] {
  return [...url.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
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
