/**
 * Untrusted text (names, paths, messages) placed in GitHub markdown: one line, no HTML, no
 * mentions, no markup, so a server.json cannot format, link or ping anything in a comment.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/[\\`*_{}[\]()#+\-.!|~:]/g, (c) => `\\${c}`);
}
