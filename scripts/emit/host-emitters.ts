/**
 * The host adapters as emitters of `mcp-registry build`: each runs for its own host kind and
 * writes the files scripts/hosts/ makes from the api model into the build's tree.
 */
import { CAPABILITIES_FILE, capabilitiesBody } from '../hosts/capabilities.ts';
import { writeCloudflareFiles } from '../hosts/cloudflare.ts';
import { writeGithubPagesFiles } from '../hosts/github-pages.ts';
import { writeNetlifyFiles } from '../hosts/netlify.ts';
import { writeNginxFiles } from '../hosts/nginx.ts';
import type { Emitter } from './emitter.ts';

export const nginxEmitter: Emitter = {
  name: 'nginx',
  hosts: ['nginx'],
  emit: (context, out) => writeNginxFiles(context.api, context.nginxRoot, out),
};

export const githubPagesEmitter: Emitter = {
  name: 'github-pages',
  hosts: ['github-pages'],
  emit: (context, out) => writeGithubPagesFiles(context.api, context.baseUrl, out),
};

export const cloudflareEmitter: Emitter = {
  name: 'cloudflare',
  hosts: ['cloudflare'],
  emit: (_context, out) => writeCloudflareFiles(out),
};

export const netlifyEmitter: Emitter = {
  name: 'netlify',
  hosts: ['netlify'],
  emit: (context, out) => writeNetlifyFiles(context.api, context.config.metaNamespace, out),
};

/** Every host: which API features this build's host answers (scripts/hosts/capabilities.ts). */
export const capabilitiesEmitter: Emitter = {
  name: 'capabilities',
  emit: (context, out) => out.write(CAPABILITIES_FILE, capabilitiesBody(context.host)),
};

/** In the order the build runs them; each writes only for its own host, capabilities for all. */
export const hostEmitters: readonly Emitter[] = [nginxEmitter, githubPagesEmitter, cloudflareEmitter, netlifyEmitter, capabilitiesEmitter];
