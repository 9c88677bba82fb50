/** Renderers for reports: one per medium, the same data underneath. */
import type { Report } from '../core/diagnostics.ts';

export type OutputFormat = 'text' | 'json';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json'];

/** Compiler-style lines, `path:line:column severity code: message`, then a one-line summary. */
export function renderText(result: Report): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of result.files) {
    for (const d of file.diagnostics) {
      if (d.severity === 'error') errors++;
      else warnings++;
      const where = d.pointer === '' ? '' : ` (at ${d.pointer})`;
      lines.push(`${file.path}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}${where}`);
    }
  }
  const files = result.files.length;
  const failed = result.files.filter((f) => !f.ok).length;
  lines.push(
    `${files} file${files === 1 ? '' : 's'} checked: ${files - failed} ok, ${failed} with errors; ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The contract's JSON document, with keys in a fixed order. */
export function renderJson(result: Report): string {
  const files = result.files.map((f) => ({
    path: f.path,
    ok: f.ok,
    diagnostics: f.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      pointer: d.pointer,
      line: d.line,
      column: d.column,
    })),
  }));
  return `${JSON.stringify({ ok: result.ok, files }, null, 2)}\n`;
}

export function renderReport(result: Report, format: OutputFormat): string {
  return format === 'json' ? renderJson(result) : renderText(result);
}
