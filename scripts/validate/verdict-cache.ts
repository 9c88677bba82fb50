/**
 * Verdicts of per-file validation kept between builds: path and SHA-256 of the bytes → the
 * diagnostics validation gave. A whole cache belongs to one stamp, the hash of the validator's own
 * sources, schemas and dependency lock plus the registry config, so any change to a rule, the
 * schema or the config validates every file again; nothing is trusted across versions.
 * Registry-wide rules (duplicates across files) are not cached: they run on every build.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { Diagnostic } from '../core/diagnostics.ts';

const FORMAT = 'verdicts/1';

export interface Verdict {
  sha256: string;
  diagnostics: Diagnostic[];
}

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (name.endsWith('.ts') || name.endsWith('.json') || name.endsWith('.yaml')) {
      hash.update(`${name}\0`);
      hash.update(readFileSync(path));
    } else if (!name.includes('.')) hashTree(hash, path);
  }
}

let sourceStamp: string | undefined;

/** The validator's sources (validate, load, core, config), the schemas and package-lock.json. */
function validatorSources(): string {
  if (sourceStamp !== undefined) return sourceStamp;
  const scripts = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256');
  for (const stage of ['validate', 'load', 'core', 'config']) hashTree(hash, join(scripts, stage));
  hashTree(hash, join(scripts, '..', 'schemas'));
  try {
    hash.update(readFileSync(join(scripts, '..', 'package-lock.json')));
  } catch {
    hash.update('no lock');
  }
  sourceStamp = hash.digest('hex');
  return sourceStamp;
}

export function verdictStamp(config: RegistryConfig): string {
  return createHash('sha256').update(validatorSources()).update(JSON.stringify(config)).digest('hex');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class VerdictCache {
  readonly stamp: string;
  private readonly previous: Map<string, Verdict>;
  private readonly next = new Map<string, Verdict>();
  hits = 0;

  constructor(stamp: string, previous: Map<string, Verdict> = new Map()) {
    this.stamp = stamp;
    this.previous = previous;
  }

  /** Pure: a cache text of another stamp or format, or one that does not parse, starts empty. */
  static parse(text: string | undefined, stamp: string): VerdictCache {
    if (text === undefined) return new VerdictCache(stamp);
    try {
      const value = JSON.parse(text) as { format?: unknown; stamp?: unknown; verdicts?: unknown };
      if (value.format !== FORMAT || value.stamp !== stamp || typeof value.verdicts !== 'object' || value.verdicts === null) return new VerdictCache(stamp);
      return new VerdictCache(stamp, new Map(Object.entries(value.verdicts as Record<string, Verdict>)));
    } catch {
      return new VerdictCache(stamp);
    }
  }

  get(path: string, digest: string): Diagnostic[] | undefined {
    const seen = this.previous.get(path);
    if (seen === undefined || seen.sha256 !== digest || !Array.isArray(seen.diagnostics)) return undefined;
    this.hits += 1;
    this.next.set(path, seen);
    // Copies: callers may add registry-wide findings to the list.
    return seen.diagnostics.map((d) => ({ ...d }));
  }

  set(path: string, digest: string, diagnostics: readonly Diagnostic[]): void {
    this.next.set(path, { sha256: digest, diagnostics: diagnostics.map((d) => ({ ...d })) });
  }

  /** Only the verdicts of this run: files removed since drop out. Sorted, so the bytes are stable. */
  render(): string {
    const verdicts: Record<string, Verdict> = {};
    for (const path of [...this.next.keys()].sort()) verdicts[path] = this.next.get(path) as Verdict;
    return `${JSON.stringify({ format: FORMAT, stamp: this.stamp, verdicts })}\n`;
  }
}
