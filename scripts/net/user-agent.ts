/**
 * The User-Agent of this tool's requests (pure): which registry sends them, for what, and whom to
 * write to about them. Public APIs ask for that — crates.io requires a User-Agent naming the client
 * and a way to contact its operator, and may block clients without one.
 */

/** The tool, named in every User-Agent. */
export const TOOL = 'mcp-static-registry';
export const TOOL_VERSION = '0.1';

/** A token a User-Agent product may hold (RFC 9110 token characters, minus the rare ones). */
function productToken(name: string): string {
  const token = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return token === '' ? TOOL : token;
}

/**
 * The contact as it may stand in a User-Agent comment: one line of printable ASCII without
 * parentheses or backslashes (they would end or escape the comment); undefined when nothing is left.
 */
export function headerContact(contact: string): string | undefined {
  const clean = contact
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/[()\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean === '' ? undefined : clean;
}

/**
 * `<registry>-<purpose>/0.1 (+<contact>; <what>)`, e.g.
 * `acme-registry-verify/0.1 (+mailto:ops@acme.example; MCP registry verification; mcp-static-registry)`.
 */
export function registryUserAgent(registryName: string, purpose: string, contact: string | undefined, what: string): string {
  const product = `${productToken(registryName)}-${productToken(purpose)}/${TOOL_VERSION}`;
  const reach = contact === undefined ? undefined : headerContact(contact);
  const tool = productToken(registryName) === TOOL ? [] : [TOOL];
  const comment = [...(reach === undefined ? [] : [`+${reach}`]), headerContact(what), ...tool].filter((p) => p !== undefined);
  return `${product} (${comment.join('; ')})`;
}
