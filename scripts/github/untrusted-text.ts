/**
 * Text from a pull request (file names, messages quoting them) on its way into a CI log. Pure.
 * The Actions runner reads a line whose trimmed start is `::name::` as a workflow command, and `##[name]`
 * anywhere in a line as one in the older syntax; a file name with a newline could otherwise start such a line
 * and post a spoofed annotation, mask text or stop command processing.
 */

/** C0 and C1 controls, DEL, the Unicode line and paragraph separators, and bidirectional overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function hasControlCharacter(text: string): boolean {
  return text.search(CONTROL) >= 0;
}

/** Every control character as a visible escape (`\n`, `\u001b`), so the text stays on one line. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One log line that the runner reads as text only: controls escaped, no `##[`, and a leading `::` (after what
 * the runner trims) behind a backslash.
 */
export function runnerSafeLine(text: string): string {
  const line = escapeControlCharacters(text).replace(/##\[/g, '##\\[');
  return /^[\s\u200b\ufeff]*::/u.test(line) ? `\\${line}` : line;
}
