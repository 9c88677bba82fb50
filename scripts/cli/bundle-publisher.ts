/**
 * Bundles `mcp-registry-publish` (scripts/cli/publisher-main.ts) into one JavaScript file with no
 * dependencies, for Node ≥ 20: `node scripts/cli/bundle-publisher.ts [OUT]` (default
 * bin/mcp-registry-publish.js, not committed). Built like the Action's bundle, but to its own file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { writeFileAtomically } from '../files/atomic-file.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PUBLISHER_BUNDLE = 'bin/mcp-registry-publish.js';

/** The bundle runs far from schemas/: the schema file the validator reads at run time goes inside it. */
const SCHEMA_READ = "readFileSync(schemaUrl, 'utf8')";
const inlineSchema: Plugin = {
  name: 'inline-server-schema',
  setup(b) {
    b.onLoad({ filter: /scripts[\\/]validate[\\/]schema\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(SCHEMA_READ)) {
        return { errors: [{ text: `scripts/validate/schema.ts no longer reads the schema as ${SCHEMA_READ}; update bundle-publisher.ts` }] };
      }
      const schema = readFileSync(resolve(ROOT, 'schemas/server.schema.json'), 'utf8');
      return { contents: source.replace(SCHEMA_READ, JSON.stringify(schema)), loader: 'ts' };
    });
  },
};

/** The entries: the publisher alone, and the author CLI of the npm package (scripts/cli/pack-cli.ts). */
const ENTRIES = {
  publisher: "import { runPublisher } from './scripts/cli/publisher-main.ts';\nrunPublisher();\n",
  author: "import { runAuthorCli } from './scripts/cli/author-main.ts';\nrunAuthorCli();\n",
} as const;

/** The bundle's text; deterministic for the same sources and dependency versions. */
export async function bundlePublisher(entry: keyof typeof ENTRIES = 'publisher'): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    stdin: { contents: ENTRIES[entry], resolveDir: ROOT, loader: 'ts', sourcefile: `${entry}-entry.ts` },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    write: false,
    outfile: PUBLISHER_BUNDLE,
    charset: 'utf8',
    legalComments: 'eof',
    logLevel: 'silent',
    plugins: [inlineSchema],
    // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

if (import.meta.filename === process.argv[1]) {
  const out = resolve(ROOT, process.argv[2] ?? PUBLISHER_BUNDLE);
  const text = await bundlePublisher();
  await writeFileAtomically(out, text);
  process.stdout.write(`wrote ${out} (${Buffer.byteLength(text)} bytes)\n`);
}
