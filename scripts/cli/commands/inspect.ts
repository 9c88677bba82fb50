/** `mcp-registry inspect`: what each server really offers, whether it answers, and when its tools change. */
import { ConfigError, loadRegistryConfig } from '../../config/registry-config.ts';
import { report } from '../../core/diagnostics.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, usageError } from '../../core/errors.ts';
import { inspectConfig, inspectUserAgent } from '../../inspect/inspect-config.ts';
import type { InspectConfig } from '../../inspect/inspect-config.ts';
import { runInspect } from '../../inspect/inspect-run.ts';
import { inspectSession } from '../../inspect/mcp-session.ts';
import { createGuardedFetch } from '../../net/guarded-fetch.ts';
import { renderReport } from '../../validate/render.ts';
import { outputFormat, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry inspect [PATH...] [--format text|json] [--allow-private-network] [--scheduled]
       mcp-registry inspect --url URL [--transport streamable-http|sse] [--format text|json] [--allow-private-network]

Connects to each server as an MCP client (the official TypeScript SDK): initialize, tools/list,
prompts/list, resources/list (paginated). Records, one file per server version, under
registry/inspections/<namespace>/<server>/<version>.json: reachable or not and why, protocol
version, server info, capabilities, tools (input schemas, annotations, a fingerprint each),
prompts, resources and the tool set's fingerprint. A changed tool set is recorded with both
fingerprints and a diff (inspect/tools-changed), for a maintainer to review.

PATH   files or folders of server.json (default: servers/)

Options:
  --url URL                   inspect one endpoint with no registry entry; writes nothing
  --transport KIND            for --url: streamable-http (default) or sse
  --format text|json          output; with --url, json is the endpoint's record
  --allow-private-network     reach loopback and private addresses (internal registries, tests)
  --scheduled                 the weekly job: leave endpoints checked within inspect.intervalDays
  -h, --help                  show this help

Polite by design: one endpoint per host at a time, a request budget per run, 429/Retry-After
honoured, a User-Agent naming the registry and its contact (inspect.contact). Stdio packages are
started only when registry.config.yaml sets inspect.stdio: true. See docs/inspection.md.
Exit codes: 0 every endpoint answered, 1 some failed, 2 usage or environment error.
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      url: { type: 'string' },
      transport: { type: 'string' },
      format: { type: 'string' },
      'allow-private-network': { type: 'boolean' },
      scheduled: { type: 'boolean' },
    });
    const format = outputFormat(values.format);
    const config = await loadRegistryConfig(io.cwd);
    let inspect: InspectConfig;
    try {
      inspect = inspectConfig(config);
    } catch (error) {
      if (error instanceof ConfigError) throw usageError(error.message);
      throw error;
    }
    const allowPrivateNetwork = values['allow-private-network'] ?? false;
    const userAgent = inspectUserAgent(config, inspect);
    const clientName = `${config.name}-inspect`;

    if (values.url !== undefined) {
      if (positionals.length > 0) throw usageError('--url inspects one endpoint; give either --url or PATHs, not both');
      const transport = values.transport ?? 'streamable-http';
      if (transport !== 'streamable-http' && transport !== 'sse') throw usageError(`--transport must be streamable-http or sse; got '${transport}'`);
      let url: URL;
      try {
        url = new URL(values.url);
      } catch {
        throw usageError(`--url '${values.url}' is not a URL`);
      }
      const fetch = createGuardedFetch({
        userAgent,
        headersTimeoutMs: inspect.requestTimeoutMs,
        idleTimeoutMs: inspect.requestTimeoutMs,
        maxBytes: 16 * 1024 * 1024,
        allowPrivateNetwork,
      });
      try {
        const result = await inspectSession(
          { kind: 'remote', transport, url: url.href },
          { fetch, clientName, clientVersion: '0.1.0', requestTimeoutMs: inspect.requestTimeoutMs, sessionTimeoutMs: inspect.sessionTimeoutMs },
        );
        if (format === 'json') io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        else if (result.reachable) {
          const info = result.serverInfo ? `${result.serverInfo.name} ${result.serverInfo.version}` : 'a server';
          io.stdout(
            `${result.url}: ${info}, protocol ${result.protocolVersion ?? '?'}; ${result.tools.length} tools, ${result.prompts.length} prompts, ${result.resources.length} resources\n` +
              result.tools.map((t) => `  tool ${t.name}  ${t.fingerprint}\n`).join('') +
              `  set ${result.fingerprint}\n`,
          );
        } else io.stdout(`${result.url}: not inspected (${result.error?.code}): ${result.error?.message}\n`);
        return result.reachable ? EXIT_OK : EXIT_CHECK_FAILED;
      } finally {
        await fetch.close();
      }
    }
    if (values.transport !== undefined) throw usageError('--transport goes with --url');

    const run = await runInspect({
      root: io.cwd,
      paths: positionals,
      config: inspect,
      userAgent,
      clientName,
      allowPrivateNetwork,
      scheduled: values.scheduled ?? false,
      now: () => new Date(),
    });
    const summary = report(run.files);
    if (format === 'json') {
      io.stdout(
        `${JSON.stringify({ ok: summary.ok, requests: run.requests, files: summary.files, versions: run.versions.map(({ endpoints, ...v }) => ({ ...v, endpoints: endpoints.map((e) => ({ url: e.url, reachable: e.reachable, error: e.error, fingerprint: e.fingerprint, tools: e.tools.length, notAnswering: e.notAnswering ?? false })) })) }, null, 2)}\n`,
      );
    } else {
      io.stdout(renderReport(summary, 'text'));
      const reachable = run.versions.flatMap((v) => v.endpoints).filter((e) => e.reachable).length;
      const total = run.versions.flatMap((v) => v.endpoints).length;
      const written = run.versions.filter((v) => v.written).length;
      io.stdout(`inspected ${run.versions.length} versions: ${reachable} of ${total} endpoints answered; ${written} files written; ${run.requests} requests\n`);
    }
    return summary.ok ? EXIT_OK : EXIT_CHECK_FAILED;
  },
};
export default command;
