/**
 * The policy outputs for enterprise tools (scripts/clients/) as an emitter of `mcp-registry build`:
 * files under dist/clients/ made from the same catalog the API serves. With a build cache, the
 * Docker catalog's YAML is kept per entry in `.cache/client-yaml-<base URL digest>.json` (keyed by the entry's JSON
 * digest, the format and the yaml library's version), so a build after one merge renders one entry.
 */
import { hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { YamlMemo } from '../clients/client-outputs.ts';
import { clientFiles } from '../clients/client-outputs.ts';
import { writeFileAtomically } from '../files/atomic-file.ts';
import type { Emitter } from './emitter.ts';

/** One file per base URL: a view's catalog (views/) keeps its own entries and does not prune the registry's. */
export function clientYamlCache(baseUrl: string): string {
  return `client-yaml-${hash('sha1', baseUrl, 'hex').slice(0, 12)}.json`;
}
const FORMAT = 1;

function yamlVersion(): string {
  try {
    return String((createRequire(import.meta.url)('yaml/package.json') as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
}

/** The cache's stamp: another format or yaml version reads as no cache. */
const STAMP = `${FORMAT}:${yamlVersion()}`;

/** A memo of the entries the cache file had; `used` is what this build asked for or made. */
export class CachedYaml implements YamlMemo {
  private readonly used = new Map<string, string>();
  private misses = 0;
  private readonly known: ReadonlyMap<string, string>;
  private constructor(known: ReadonlyMap<string, string>) {
    this.known = known;
  }

  static parse(text: string | undefined): CachedYaml {
    const known = new Map<string, string>();
    try {
      const raw = JSON.parse(text ?? '') as { stamp?: unknown; entries?: unknown };
      if (raw.stamp === STAMP && typeof raw.entries === 'object' && raw.entries !== null) {
        for (const [digest, yaml] of Object.entries(raw.entries)) if (typeof yaml === 'string') known.set(digest, yaml);
      }
    } catch {
      // Missing or corrupt: every entry is rendered again.
    }
    return new CachedYaml(known);
  }

  get(digest: string): string | undefined {
    const yaml = this.known.get(digest);
    if (yaml !== undefined) this.used.set(digest, yaml);
    return yaml;
  }

  set(digest: string, yaml: string): void {
    this.misses += 1;
    this.used.set(digest, yaml);
  }

  /** True when the file would change: an entry rendered anew, or one no longer asked for. */
  changed(): boolean {
    return this.misses > 0 || this.used.size !== this.known.size;
  }

  render(): string {
    return JSON.stringify({ stamp: STAMP, entries: Object.fromEntries(this.used) });
  }
}

export const clientEmitter: Emitter = {
  name: 'clients',
  async emit(context, out) {
    const file = context.cacheDir === undefined ? undefined : join(context.cacheDir, clientYamlCache(context.baseUrl));
    const memo = file === undefined ? undefined : CachedYaml.parse(await readFile(file, 'utf8').catch(() => undefined));
    const files = clientFiles(
      { servers: context.catalog.servers, baseUrl: context.baseUrl, registryName: context.config.name, builtAt: context.builtAt },
      memo,
    );
    for (const f of files) out.write(f.path, f.content);
    // A cache that cannot be written costs the next build the rendering, nothing more.
    if (file !== undefined && memo?.changed()) await writeFileAtomically(file, memo.render()).catch(() => undefined);
  },
};
