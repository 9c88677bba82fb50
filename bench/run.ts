/**
 * `npm run bench [-- NAME...]`: runs every benchmark `bench/<name>.ts` (or the named ones), each in
 * its own Node process so that peak memory is its own. Each benchmark prints its results and
 * updates its section of docs/benchmarks.md itself. Flags after the names are passed to each.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();

// `npm run bench -- scale --servers 2000`: names pick benchmarks, flags (and their values) go to each of them.
const args = process.argv.slice(2);
const flagAt = args.findIndex((a) => a.startsWith('--'));
const wanted = flagAt === -1 ? args : args.slice(0, flagAt);
const forwarded = flagAt === -1 ? [] : args.slice(flagAt);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}

let failed = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  process.stdout.write(`\n== bench/${name}.ts ==\n`);
  const result = spawnSync(process.execPath, ['--expose-gc', `${benchDir}${name}.ts`, ...forwarded], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
