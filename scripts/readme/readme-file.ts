/**
 * The registry-owned README state (pure): one JSON file per server,
 * `registry/readmes/<namespace>/<server>.json`, holding the README of one version as fetched by
 * `mcp-registry readme` from the package's registry or the repository. The build reads it and the
 * site renders it (sanitised); nothing fetches at build time.
 */
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { STATE_DIR } from '../core/registry-state.ts';
import type { ReadmeCode } from './codes.ts';

export const READMES_DIR = `${STATE_DIR}/readmes`;
/** Longer READMEs are cut here (at a line end), and say so. */
export const MAX_README_CHARS = 200_000;

export const README_ORIGINS = ['npm', 'pypi', 'nuget', 'github'] as const;
export type ReadmeOrigin = (typeof README_ORIGINS)[number];

export interface ReadmeFile {
  schemaVersion: 1;
  name: string;
  /** The server version whose package or repository gave it. */
  version: string;
  from: ReadmeOrigin;
  /** The page people read it on (npmjs.com, pypi.org, nuget.org, the repository). */
  source: string;
  fetchedAt: string;
  format: 'markdown';
  text: string;
  truncated?: true;
}

/** `io.github.u/weather` → `registry/readmes/io.github.u/weather.json` (lower-cased). */
export function readmePath(name: string): string {
  return `${READMES_DIR}/${name.toLowerCase()}.json`;
}

/** Pure: the text cut to MAX_README_CHARS at a line end, and whether it was cut. */
export function capReadme(text: string, max = MAX_README_CHARS): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const cut = text.lastIndexOf('\n', max);
  return { text: text.slice(0, cut > max / 2 ? cut : max), truncated: true };
}

const invalid = (path: string, why: string): Diagnostic =>
  diagnostic('readme/state-invalid' satisfies ReadmeCode, `${path}: ${why}; it is left out of the build (run mcp-registry readme again)`, {
    severity: 'warning',
  });

/** Pure: a README file's text as a record, or why not. The path must be the record's own. */
export function parseReadmeFile(text: string, path: string): { value?: ReadmeFile; diagnostics: Diagnostic[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { diagnostics: [invalid(path, 'not JSON')] };
  }
  if (!isRecord(raw)) return { diagnostics: [invalid(path, 'not an object')] };
  const { schemaVersion, name, version, from, source, fetchedAt, format, text: body, truncated } = raw;
  if (schemaVersion !== 1) return { diagnostics: [invalid(path, 'schemaVersion is not 1')] };
  if (typeof name !== 'string' || !name.includes('/') || typeof version !== 'string' || version === '')
    return { diagnostics: [invalid(path, 'name or version missing')] };
  if (readmePath(name) !== path) return { diagnostics: [invalid(path, `it names ${name}, whose file is ${readmePath(name)}`)] };
  if (typeof from !== 'string' || !(README_ORIGINS as readonly string[]).includes(from))
    return { diagnostics: [invalid(path, 'from is not npm, pypi, nuget or github')] };
  if (typeof source !== 'string' || !/^https:\/\//.test(source)) return { diagnostics: [invalid(path, 'source is not an https URL')] };
  if (typeof fetchedAt !== 'string' || Number.isNaN(Date.parse(fetchedAt))) return { diagnostics: [invalid(path, 'fetchedAt is not a date')] };
  if (format !== 'markdown' || typeof body !== 'string') return { diagnostics: [invalid(path, 'format is not markdown with a text')] };
  if (body.length > MAX_README_CHARS) return { diagnostics: [invalid(path, `the text is over ${MAX_README_CHARS} characters`)] };
  if (truncated !== undefined && truncated !== true) return { diagnostics: [invalid(path, 'truncated is not true')] };
  return {
    value: {
      schemaVersion: 1,
      name,
      version,
      from: from as ReadmeOrigin,
      source,
      fetchedAt,
      format: 'markdown',
      text: body,
      ...(truncated ? { truncated: true } : {}),
    },
    diagnostics: [],
  };
}

/** Pure: the file's bytes, keys in a fixed order so equal content gives equal bytes. */
export function serialiseReadmeFile(file: ReadmeFile): string {
  const ordered = {
    schemaVersion: file.schemaVersion,
    name: file.name,
    version: file.version,
    from: file.from,
    source: file.source,
    fetchedAt: file.fetchedAt,
    format: file.format,
    ...(file.truncated ? { truncated: true } : {}),
    text: file.text,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
