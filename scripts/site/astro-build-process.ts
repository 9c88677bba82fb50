/**
 * Runs Astro's programmatic build in its own process, started by emit-site.ts with the site
 * folder as working directory: Astro resolves packages and its `.astro/` folder from the working
 * directory and sets process-wide state (NODE_ENV), none of which should leak into `mcp-registry build`.
 * It ends, with everything it started, as soon as its parent does (see scripts/proc/process-group.ts).
 * Usage: node astro-build-process.ts '<SiteConfigOptions as JSON>' (stdin: a pipe from the parent)
 */
import { endWithParent } from '../proc/process-group.ts';
import type { SiteConfigOptions } from './astro-config.ts';

endWithParent();
// Loaded only now: loading Astro takes seconds, during which a parent's death must already count.
const { build } = await import('astro');
const { siteAstroConfig } = await import('./astro-config.ts');
const options = JSON.parse(process.argv[2] ?? '{}') as SiteConfigOptions;
process.env.ASTRO_TELEMETRY_DISABLED = '1';
try {
  await build({ ...siteAstroConfig(options), configFile: false, logLevel: 'warn' });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
