/** Why entries were left out by policy or precedence, grouped by reason, for the text report (pure). */
import { compareStrings } from '../core/compare.ts';
import type { SkippedEntry } from './plan-entries.ts';

/** One line per reason, naming up to `shown` of its entries and how many more there are. */
export function leftOutLines(skipped: readonly SkippedEntry[], shown = 3): string[] {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) {
    const list = byReason.get(s.reason) ?? [];
    list.push(`${s.name}@${s.version}`);
    byReason.set(s.reason, list);
  }
  return [...byReason]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([reason, entries]) => {
      const more = entries.length > shown ? ` and ${entries.length - shown} more` : '';
      return `left out (${entries.length}): ${reason}: ${entries.slice(0, shown).join(', ')}${more}\n`;
    });
}
