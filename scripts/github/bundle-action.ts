/**
 * Bundles the publish Action into one committed JavaScript file (action/dist/index.js), as GitHub runs
 * actions without installing dependencies. `npm run bundle:action` rewrites it; a test fails when it is stale.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeFileAtomically } from '../files/atomic-file.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ACTION_BUNDLE = 'action/dist/index.js';

/** The bundle's text; deterministic for the same sources and dependency versions. */
export async function bundleAction(): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['scripts/github/publish-action-entry.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    write: false,
    outfile: ACTION_BUNDLE,
    charset: 'utf8',
    legalComments: 'eof',
    logLevel: 'silent',
    // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

if (import.meta.filename === process.argv[1]) {
  const text = await bundleAction();
  await writeFileAtomically(`${ROOT}${ACTION_BUNDLE}`, text);
  process.stdout.write(`wrote ${ACTION_BUNDLE} (${Buffer.byteLength(text)} bytes)\n`);
}
