/**
 * The sticky PR comment: one Markdown document per check run, found again by its marker and edited in place.
 * Pure. Everything that came from the PR (paths, messages quoting its values) is escaped so it renders as text:
 * no links, images, HTML or @-mentions can be smuggled in.
 */
import { codeDocsPage } from '../core/code-docs.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { CheckName, CheckState, PrCheckResult } from './pr-decision.ts';
import { CHECK_NAMES } from './pr-decision.ts';
import { escapeMarkdown } from '../core/markdown.ts';
import { renderInspectionSection } from './pr-inspection.ts';

export const COMMENT_MARKER = '<!-- mcp-registry:pr-check -->';
/** GitHub refuses comments over 65,536 characters; stay well below. */
export const MAX_COMMENT_CHARS = 60_000;

export interface CommentOptions {
  /** e.g. `https://github.com/owner/registry/blob/main`; rule links go to `<docsBase>/docs/...`. */
  docsBase: string;
}

const ICON: Record<CheckState, string> = { passed: '✅', failed: '❌', skipped: '➖', pending: '⏳' };
const KIND_TEXT = {
  'new-server': 'new server',
  'new-version': 'new version',
  lifecycle: 'lifecycle change',
  rename: 'rename',
  approval: 'approval',
  owner: 'owner record',
  other: 'other',
};
const CHECK_TITLE: Record<CheckName, string> = { immutability: 'Immutable', validate: 'Valid', verify: 'Verified', ownership: 'Owner' };

/** GitHub's heading anchor for a heading that is just the code: lower case, punctuation but `-` dropped. */
export function ruleAnchor(code: string): string {
  return code
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

export function ruleLink(code: string, options: CommentOptions): string {
  // A code of no known area (a newer CLI's) still links somewhere useful: the rules page.
  const page = codeDocsPage(code) ?? 'docs/rules.md';
  return `${options.docsBase}/${page}#${ruleAnchor(code)}`;
}

function diagnosticLine(d: Diagnostic, options: CommentOptions): string {
  const where = [d.pointer ? `at ${escapeMarkdown(d.pointer)}` : '', d.line > 0 ? `line ${d.line}, column ${d.column}` : ''].filter(Boolean).join(', ');
  const code = /^[a-z0-9-]+\/[a-z0-9-]+$/.test(d.code) ? `[\`${d.code}\`](${ruleLink(d.code, options)})` : escapeMarkdown(d.code);
  return `- ${d.severity === 'error' ? '❌' : '⚠️'} ${code}${where ? ` (${where})` : ''}: ${escapeMarkdown(d.message)}`;
}

function headline(result: PrCheckResult): string {
  if (!result.ok) {
    const errors = result.diagnostics.concat(result.files.flatMap((f) => f.diagnostics)).filter((d) => d.severity === 'error').length;
    return `❌ ${errors} problem${errors === 1 ? '' : 's'} to fix`;
  }
  if (result.autoMerge) return '✅ All checks passed; the bot will merge this pull request';
  return '⏳ Checks passed; waiting for a maintainer';
}

export function renderComment(result: PrCheckResult, options: CommentOptions): string {
  const head: string[] = [
    COMMENT_MARKER,
    `## Registry check: ${headline(result)}`,
    '',
    `Commit \`${result.headSha.slice(0, 12)}\` · ${result.files.length} file${result.files.length === 1 ? '' : 's'} checked.`,
    '',
  ];
  if (result.reviewReasons.length > 0) {
    head.push('A maintainer reviews this pull request because:', ...result.reviewReasons.map((r) => `- ${escapeMarkdown(r)}`), '');
  }
  if (result.diagnostics.length > 0) head.push(...result.diagnostics.map((d) => diagnosticLine(d, options)), '');
  if (result.files.length > 0) {
    head.push(`| File | Change | ${CHECK_NAMES.map((c) => CHECK_TITLE[c]).join(' | ')} |`, `|---|---|${CHECK_NAMES.map(() => '---').join('|')}|`);
    for (const f of result.files) {
      head.push(`| ${escapeMarkdown(f.path)} | ${KIND_TEXT[f.kind]} | ${CHECK_NAMES.map((c) => ICON[f.checks[c]]).join(' | ')} |`);
    }
    head.push('', `${ICON.passed} passed · ${ICON.failed} failed · ${ICON.pending} waiting · ${ICON.skipped} not applicable`, '');
  }
  const doc = (page: string): string => `[docs/${page}](${options.docsBase}/docs/${page})`;
  const footer = [
    '',
    `<sub>Updated on every push. Rules: ${doc('rules.md')} · ownership and packages: ${doc('verification.md')} · publishing and lifecycle: ${doc('publishing.md')}</sub>`,
    '',
  ];
  const body: string[] = [];
  let size = head.join('\n').length + footer.join('\n').length;
  let omitted = 0;
  for (const f of result.files) {
    if (f.diagnostics.length === 0) continue;
    const section = ['', `### ${escapeMarkdown(f.path)}`, ...f.diagnostics.map((d) => diagnosticLine(d, options))].join('\n');
    if (size + section.length > MAX_COMMENT_CHARS - 200) {
      omitted++;
      continue;
    }
    size += section.length;
    body.push(section);
  }
  if (omitted > 0) body.push('', `…and details for ${omitted} more file${omitted === 1 ? '' : 's'}: run \`npx mcp-registry validate\` locally to see them.`);
  body.push(...renderInspectionSection(result.inspection, { docsBase: options.docsBase, maxChars: MAX_COMMENT_CHARS - 300 - size }));
  return [...head, ...body, ...footer].join('\n');
}
