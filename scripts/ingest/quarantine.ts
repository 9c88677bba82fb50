/**
 * The quarantine report (pure): where refused entries of one source are listed, with their
 * diagnostics and content, so a person can see what an import or sync left out and why.
 */
import type { QuarantinedEntry } from './plan-entries.ts';

/** `registry/quarantine/<source>.json`, the source made file-name safe. */
export function quarantineFileName(source: string): string {
  return `registry/quarantine/${source.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^[-.]+/, '')}.json`;
}

/** One JSON document naming each refused entry, why, and its content. */
export function renderQuarantine(source: string, checkedAt: string, entries: readonly QuarantinedEntry[]): string {
  return `${JSON.stringify({ source, checkedAt, count: entries.length, entries }, null, 2)}\n`;
}
