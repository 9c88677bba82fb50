/** Shared by the benchmarks: what machine ran them, and writing a section of docs/benchmarks.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const docPath = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

export function describeMachine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const memGiB = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpus().length} × ${cpu}, ${memGiB} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** Replaces (or appends) the `## heading` section of docs/benchmarks.md with `body`. */
export function writeBenchmarkSection(heading: string, body: string): void {
  const title = `## ${heading}`;
  const existing = existsSync(docPath)
    ? readFileSync(docPath, 'utf8')
    : '# Benchmarks\n\nMeasured with `npm run bench`; each section is rewritten by its benchmark.\n';
  const section = `${title}\n\n${body.trim()}\n`;
  const start = existing.indexOf(`\n${title}\n`);
  let next: string;
  if (start === -1) {
    next = `${existing.trimEnd()}\n\n${section}`;
  } else {
    const after = existing.indexOf('\n## ', start + title.length + 1);
    next = existing.slice(0, start + 1) + section + (after === -1 ? '' : existing.slice(after));
  }
  writeFileSync(docPath, next);
}
