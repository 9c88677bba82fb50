/**
 * The outputs of `mcp-registry build`, in order. Later emitters may overwrite files of earlier
 * ones (a host adapter replaces the list page, for instance). The site, with its search index,
 * comes first: once its Astro run starts, it goes on in another process while the API, clients,
 * log and host emitters run here, and the rename pages, which replace old server pages, wait for it.
 */
import { apiEmitter } from './api-emitter.ts';
import { clientEmitter } from './client-emitter.ts';
import type { Emitter } from './emitter.ts';
import { hostEmitters } from './host-emitters.ts';
import { logEmitter } from './log-emitter.ts';
import { renameEmitter } from './rename-emitter.ts';
import { siteEmitter } from './site-emitter.ts';

export const defaultEmitters: readonly Emitter[] = [siteEmitter, apiEmitter, clientEmitter, logEmitter, ...hostEmitters, renameEmitter];
