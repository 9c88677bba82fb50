/** Page paths for servers and namespaces; browser-safe, so the search script builds the same links. */

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9.-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SAFE_NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,199}$/;

function hexSlug(text: string): string {
  const hex = [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `x-${hex.slice(0, 200)}`;
}

/** The page path for a server name; names outside the schema's alphabet get a hex slug. */
export function serverSlug(name: string): string {
  return SAFE_NAME.test(name) && name.length <= 200 ? name : hexSlug(name);
}

export function namespaceSlug(namespace: string): string {
  return SAFE_NAMESPACE.test(namespace) ? namespace : hexSlug(namespace);
}

const SAFE_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+_-]{0,127}$/;

/** The page path of a version below its server's page; other versions get a hex slug. */
export function versionSlug(version: string): string {
  return SAFE_VERSION.test(version) && version !== 'x' && !version.startsWith('x-') ? version : hexSlug(version);
}
