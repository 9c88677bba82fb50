/** Turns a `verify --format json` report of the published registry into the weekly issue's Markdown. Pure. */
import type { Report } from '../core/diagnostics.ts';
import { escapeMarkdown } from '../core/markdown.ts';

/** Undefined when every entry still verifies. */
export function reverifyProblem(report: Report, runUrl: string): string | undefined {
  const failing = report.files.filter((f) => !f.ok);
  if (failing.length === 0) return undefined;
  const lines = [`${failing.length} published entr${failing.length === 1 ? 'y' : 'ies'} stopped verifying (run: ${runUrl}).`, ''];
  for (const f of failing.slice(0, 200)) {
    const first = f.diagnostics.find((d) => d.severity === 'error');
    lines.push(`- ${escapeMarkdown(f.path)}: ${first ? `\`${first.code}\` ${escapeMarkdown(first.message)}` : 'failed'}`);
  }
  if (failing.length > 200) lines.push(`- …and ${failing.length - 200} more`);
  lines.push('', 'Contact the owners; deprecate or delete entries that stay broken (docs/reviewers.md).');
  return lines.join('\n');
}
