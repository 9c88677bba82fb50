/**
 * A registry with the official registry's shape, for the scale benchmarks (bench/scale.ts):
 * versions per server ~62% one, 15% two, 14% three to five, 5% six to ten, 3% more (max 70);
 * npm, PyPI, OCI, MCPB, NuGet packages and remotes; one git commit per published version,
 * in publishing order (or a batch of versions per commit), written with `git fast-import`, where
 * one `git commit` each would take hours. Deterministic for a given size and seed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { CURRENT_SCHEMA_URL } from '../../scripts/core/api-types.ts';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'weather forecast github issues database postgres sqlite redis search files browser slack email calendar notes ' +
  'markdown docs kubernetes docker cloud storage image audio translate code review deploy monitor metrics logs ' +
  'billing crm support chat memory graph vector finance maps travel music video news pdf sheets json api proxy ' +
  'auth secrets terraform shell terminal git figma notion airtable todo math science'
).split(' ');

/** How many versions one server gets, drawn from the official distribution. */
export function versionCount(random: () => number): number {
  const r = random();
  if (r < 0.62) return 1;
  if (r < 0.77) return 2;
  if (r < 0.91) return 3 + Math.floor(random() * 3);
  if (r < 0.96) return 6 + Math.floor(random() * 5);
  if (r < 0.99) return 11 + Math.floor(random() * 30);
  return 41 + Math.floor(random() * 30);
}

export interface VersionFile {
  path: string;
  text: string;
}

function artifacts(kind: number, ns: string, slug: string, version: string): Record<string, unknown> {
  const stdio = { type: 'stdio' };
  const env = [{ name: 'API_KEY', description: 'Key for the service', isRequired: true, isSecret: true }];
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return {
        packages: [
          {
            registryType: 'npm',
            registryBaseUrl: 'https://registry.npmjs.org',
            identifier: `@${ns}/${slug}`,
            version,
            transport: stdio,
            environmentVariables: env,
          },
        ],
      };
    case 3:
    case 4:
      return { packages: [{ registryType: 'pypi', registryBaseUrl: 'https://pypi.org', identifier: `${slug}-mcp`, version, transport: stdio }] };
    case 5:
      return { packages: [{ registryType: 'oci', identifier: `ghcr.io/${ns}/${slug}:${version}`, transport: stdio }] };
    case 6:
      return {
        packages: [
          {
            registryType: 'mcpb',
            identifier: `https://github.com/${ns}/${slug}/releases/download/v${version}/${slug}-mcp.mcpb`,
            fileSha256: 'a'.repeat(64),
            transport: stdio,
          },
        ],
      };
    case 7:
      return {
        packages: [
          {
            registryType: 'nuget',
            registryBaseUrl: 'https://api.nuget.org/v3/index.json',
            identifier: `Mcp.${slug.replace(/-/g, '.')}`,
            version,
            transport: stdio,
          },
        ],
      };
    default:
      return { remotes: [{ type: 'streamable-http', url: `https://${slug}.${ns}.example.com/mcp` }] };
  }
}

export interface Generated {
  servers: number;
  versions: number;
  /** Version files in publishing order (the commit order). */
  files: VersionFile[];
}

/** Pure: `servers` servers with the official version-count distribution, in publishing order. */
export function officialShape(servers: number, seed = 2026): Generated {
  const random = prng(seed);
  const events: { at: number; file: VersionFile }[] = [];
  for (let i = 0; i < servers; i += 1) {
    const ns = `user${i % 4099}`;
    const slug = `${WORDS[i % WORDS.length]}-${WORDS[(i * 7) % WORDS.length]}-${i}`;
    const name = `io.github.${ns}/${slug}`;
    const kind = Math.floor(random() * 10);
    const count = versionCount(random);
    let at = random() * servers;
    for (let v = 0; v < count; v += 1) {
      const version = `1.${v}.0`;
      const doc = {
        $schema: CURRENT_SCHEMA_URL,
        name,
        title: `${slug.split('-').slice(0, 2).join(' ')} ${i}`,
        description: `Lets an assistant work with ${WORDS[(i * 3) % WORDS.length]} and ${WORDS[(i * 5) % WORDS.length]} (server ${i}, release ${version})`,
        version,
        repository: { url: `https://github.com/${ns}/${slug}`, source: 'github' },
        ...artifacts(kind, ns, slug, version),
      };
      events.push({ at, file: { path: `servers/${name}/${version}.json`, text: `${JSON.stringify(doc, null, 2)}\n` } });
      at += 1 + random() * servers * 0.1;
    }
  }
  events.sort((a, b) => a.at - b.at);
  return { servers, versions: events.length, files: events.map((e) => e.file) };
}

/**
 * A fast-import stream: one commit per file (or per `perCommit` files, in order), author dates one
 * minute per file apart from 2025-01-01.
 */
function fastImportStream(files: readonly VersionFile[], firstSecond: number, parent: string | undefined, perCommit = 1): string {
  const parts: string[] = [];
  for (let n = 0; n < files.length; n += perCommit) {
    const batch = files.slice(n, n + perCommit);
    const when = firstSecond + n * 60;
    const first = batch[0] as VersionFile;
    const message = `publish ${first.path.slice('servers/'.length, -'.json'.length)}${batch.length > 1 ? ` and ${batch.length - 1} more` : ''}\n`;
    parts.push(
      `commit refs/heads/main\nauthor Bench <bench@example.com> ${when} +0000\ncommitter Bench <bench@example.com> ${when} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}`,
      n === 0 && parent !== undefined ? `from ${parent}\n` : '',
      ...batch.map((file) => `M 100644 inline ${file.path}\ndata ${Buffer.byteLength(file.text)}\n${file.text}\n`),
    );
  }
  return parts.join('');
}

export const HISTORY_START = Date.UTC(2025, 0, 1) / 1000;

function git(root: string, args: string[], input?: string): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Writes `files` as a git repository at `root` (work tree checked out), one commit per file, or
 * per `perCommit` files: every commit writes a new tree of servers/ (one entry per namespace), so
 * at 300,000 versions one commit each costs fast-import many minutes.
 */
export function writeRegistryRepo(root: string, files: readonly VersionFile[], perCommit = 1): void {
  mkdirSync(root, { recursive: true });
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['fast-import', '--quiet'], fastImportStream(files, HISTORY_START, undefined, perCommit));
  git(root, ['checkout', '-q', '-f', 'main']);
}

/** Commits one more file on top of HEAD (a merged PR), into the work tree and history. */
export function commitOne(root: string, file: VersionFile, index: number): void {
  const head = git(root, ['rev-parse', 'HEAD']).trim();
  git(root, ['fast-import', '--quiet'], fastImportStream([file], HISTORY_START + index * 60, head));
  git(root, ['checkout', '-q', '-f', 'main']);
}
