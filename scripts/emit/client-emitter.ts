/**
 * The policy outputs for enterprise tools (scripts/clients/) as an emitter of `mcp-registry build`:
 * files under dist/clients/ made from the same catalog the API serves.
 */
import { clientFiles } from '../clients/client-outputs.ts';
import type { Emitter } from './emitter.ts';

export const clientEmitter: Emitter = {
  name: 'clients',
  emit(context, out) {
    const files = clientFiles({ servers: context.catalog.servers, baseUrl: context.baseUrl, registryName: context.config.name, builtAt: context.builtAt });
    for (const file of files) out.write(file.path, file.content);
  },
};
