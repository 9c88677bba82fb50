/**
 * Tests that run a real system server (nginx, docker-registry, Chromium) ask here whether it is
 * installed. Locally a missing one skips its suite with one line naming the Debian package; with
 * CI=true it is a failing test instead, so CI never passes by skipping.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export interface SystemServer {
  /** What the tests call it. */
  name: string;
  /** The Debian package that installs it. */
  debianPackage: string;
  /** A command that exits 0 when it is installed. */
  probe: readonly [string, ...string[]];
  /** How to install it, when not with apt-get (an npm package). */
  install?: string;
}

export const NGINX: SystemServer = { name: 'nginx', debianPackage: 'nginx', probe: ['/usr/sbin/nginx', '-v'] };
/** nginx with the njs module (`build --host nginx` runs the router in it). */
export const NGINX_NJS: SystemServer = {
  name: 'nginx with njs',
  debianPackage: 'nginx libnginx-mod-http-js',
  probe: ['/bin/sh', '-c', '/usr/sbin/nginx -v && test -f /usr/lib/nginx/modules/ngx_http_js_module.so'],
};
/** Cloudflare's runtime, from the exact-pinned devDependency (no Debian package). */
export const WORKERD: SystemServer = {
  name: 'workerd',
  debianPackage: 'none (npm package workerd)',
  probe: [fileURLToPath(new URL('../../node_modules/.bin/workerd', import.meta.url)), '--version'],
  install: 'npm ci (the devDependency workerd)',
};
/** Deno, the runtime of Netlify Edge Functions, from the exact-pinned devDependency (no Debian package). */
export const DENO: SystemServer = {
  name: 'deno',
  debianPackage: 'none (npm package deno)',
  probe: [fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url)), '--version'],
  install: 'npm ci (the devDependency deno)',
};
export const DOCKER_REGISTRY: SystemServer = { name: 'docker-registry', debianPackage: 'docker-registry', probe: ['docker-registry', '--version'] };
export const CHROMIUM: SystemServer = { name: 'Chromium', debianPackage: 'chromium', probe: ['/usr/bin/chromium', '--version'] };

const seen = new Map<string, boolean>();

function installed(server: SystemServer): boolean {
  const known = seen.get(server.name);
  if (known !== undefined) return known;
  const [command, ...args] = server.probe;
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  const ok = result.error === undefined && result.status === 0;
  seen.set(server.name, ok);
  return ok;
}

/**
 * True when `server` can be started. When it cannot: under CI=true this registers a failing
 * test named for the package; otherwise it prints one line saying what is skipped.
 */
export function hasSystemServer(server: SystemServer, suite: string): boolean {
  if (installed(server)) return true;
  const install = server.install ?? `apt-get install ${server.debianPackage}`;
  if (process.env.CI === 'true') {
    describe(suite, () => {
      it(`needs ${server.name}, which is not installed (${install}; .ci/run does)`, () => {
        throw new Error(`${server.name} is missing: CI must run every suite; run \`${install}\``);
      });
    });
  } else {
    console.warn(`skipped: ${suite} (needs ${server.name}: ${install})`);
  }
  return false;
}
