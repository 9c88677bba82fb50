/**
 * Values from server.json become links only when they are plain http(s) URLs: anything else
 * (`javascript:`, `data:`, relative paths, junk) is shown as text or dropped.
 */

/** The normalised URL when `value` is an absolute http(s) URL, else undefined. */
export function safeHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return undefined;
  return url.href;
}

/** Icons load only over https (the schema's rule), and only through <img>, never inlined. */
export function safeIconUrl(value: unknown): string | undefined {
  const href = safeHttpUrl(value);
  return href?.startsWith('https:') ? href : undefined;
}
