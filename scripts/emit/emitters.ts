/**
 * The outputs of `mcp-registry build`, in order. Later emitters may overwrite files of earlier
 * ones (a host adapter replaces the list page, for instance). The search index and the site
 * join this list as emitters of their own.
 */
import { cloudflareEmitter } from '../hosts/cloudflare.ts';
import { githubPagesEmitter } from '../hosts/github-pages.ts';
import { netlifyEmitter } from '../hosts/netlify.ts';
import { nginxEmitter } from '../hosts/nginx.ts';
import { siteEmitter } from '../site/site-emitter.ts';
import { apiEmitter } from './api-emitter.ts';
import type { Emitter } from './emitter.ts';

export const defaultEmitters: readonly Emitter[] = [apiEmitter, nginxEmitter, githubPagesEmitter, cloudflareEmitter, netlifyEmitter, siteEmitter];
