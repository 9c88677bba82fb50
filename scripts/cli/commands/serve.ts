/** `mcp-registry serve [DIR]`: the router on node:http over a built dist/. */
import { unwatchFile, watchFile } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { environmentError, usageError } from '../../core/errors.ts';
import { MANIFEST } from '../../files/atomic-tree.ts';
import { loadApiData, loadViews } from '../../serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../serve/node-server.ts';
import { parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry serve [DIR] [--port N] [--host ADDR]

Serves a built registry (default DIR: dist) with the official MCP Registry API:
GET /v0.1/servers (cursor, limit, search, updated_since, version, include_deleted),
/v0.1/servers/{serverName}/versions[/{version}|/latest], /v0.1/health, /v0.1/ping,
/v0.1/version, /openapi.yaml,
the same under /v0, and every other file of DIR (the site) as it is; each view the
build wrote (DIR/views.json) answers the same below /views/<name>.
ETag/If-None-Match, gzip and brotli, CORS for browsers. A new build of DIR is picked up
by itself (within about a second).

Options:
  --port N       port (default: 4321; 0 picks a free one)
  --host ADDR    address to listen on (default: 127.0.0.1)
  -h, --help     show this help

Exit codes: 0 stopped, 2 usage or environment error (no build in DIR, port in use).
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { port: { type: 'string' }, host: { type: 'string' } });
    if (positionals.length > 1) throw usageError(`serve takes one DIR; got ${positionals.length}`);
    const dist = resolve(io.cwd, positionals[0] ?? 'dist');
    const port = Number(values.port ?? '4321');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port must be a port number; got '${values.port}'`);
    const host = values.host ?? '127.0.0.1';
    try {
      if (!(await stat(dist)).isDirectory()) throw new Error('not a directory');
    } catch {
      throw environmentError(`${dist} is not a built registry; run \`mcp-registry build\` first`);
    }
    const data = await loadApiData(dist);
    const views = await loadViews(dist);
    const server = createRegistryServer({ dist, data, port, host, views });
    let address: Awaited<ReturnType<typeof listen>>;
    try {
      address = await listen(server, port, host);
    } catch (error) {
      throw environmentError(`cannot listen on ${host}:${port}: ${(error as Error).message}`, error);
    }
    const shown = views.length === 0 ? '' : `, views ${views.map((v) => v.prefix).join(' ')}`;
    io.stdout(`serving ${dist} (${data.byName.size - (data.aliases?.length ?? 0)} servers, ${data.all.length} versions${shown}) at ${address.url}\n`);
    // A build swaps dist/ in by rename and rewrites its manifest: poll that one file and reload.
    const manifest = join(dist, MANIFEST);
    watchFile(manifest, { interval: 1000 }, (now, before) => {
      if (now.mtimeMs === before.mtimeMs || now.mtimeMs === 0) return;
      Promise.all([loadApiData(dist), loadViews(dist)]).then(
        ([next, nextViews]) => {
          server.replaceData(next, nextViews);
          io.stdout(`reloaded ${dist} (${next.byName.size - (next.aliases?.length ?? 0)} servers, ${next.all.length} versions)\n`);
        },
        (error: Error) => io.stderr(`serve: keeping the previous build: ${error.message}\n`),
      );
    });
    await new Promise<void>((done) => {
      const stop = () => {
        unwatchFile(manifest);
        server.close(() => done());
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
export default command;
