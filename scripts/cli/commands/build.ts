/** `mcp-registry build`: servers/ → dist/ (static API, search index, site, host adapter files). */
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadRegistryConfig } from '../../config/registry-config.ts';
import { fileReport, report } from '../../core/diagnostics.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, environmentError, usageError } from '../../core/errors.ts';
import { BUILD_CACHE_DIR } from '../../emit/build-cache.ts';
import { buildRegistry } from '../../emit/build-registry.ts';
import { HOST_KINDS } from '../../emit/emitter.ts';
import type { HostKind } from '../../emit/emitter.ts';
import { nginxRootProblem } from '../../hosts/nginx.ts';
import { undoOnSignals } from '../../proc/exit-hooks.ts';
import { COMMIT_DIR, recoverCommit, recoveryNotes } from '../../ingest/commit-files.ts';
import { privateKeyBlocks, verifierKeyString } from '../../translog/note.ts';
import { renderPhases } from '../../core/phase-timer.ts';
import { renderReport } from '../../validate/render.ts';
import { parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry build [--out DIR] [--base-url URL] [--host KIND] [--nginx-root PATH] [--timings]

Turns servers/ (plus registry/ state and git history) into static files that answer the
official MCP Registry API: /v0.1 and /v0 list pages, each server's versions, each version and
latest, v0.1/snapshot.json.gz (everything, for mirrors), v0.1/changes.json (ordered by
updatedAt, for incremental sync), /v0.1/health, /v0.1/ping, /v0.1/version and /openapi.yaml.
It also writes the search index (search/, for the site and for clients) and the browsable
site (Astro, static HTML: home with search and filters, one page per server with install
snippets, namespaces, changes with an Atom feed at /feed.xml, API docs, a publishing guide);
see docs/site.md. \`mcp-registry serve\` serves all of it.

Options:
  --out DIR        output folder (default: dist); replaced atomically
  --base-url URL   public URL the files are served from (default: baseUrl in registry.config.yaml)
  --host KIND      ${HOST_KINDS.join(' | ')} (default: node); adds that host's files, see docs/hosting.md
  --format text|json  how problems are printed (default: text)
  --log-key FILE   Ed25519 private key (PKCS#8 PEM) that signs the transparency log's checkpoint
                   (default: the PEM text in MCP_REGISTRY_LOG_KEY); see docs/transparency-log.md
  --nginx-root PATH  with --host nginx: the absolute path nginx serves the build from, named in
                   _nginx/http.conf (default: the output folder); see docs/hosting.md
  --timings        print the wall time of each phase and the peak memory to stderr at the end
  -h, --help       show this help

Git dates and validation verdicts are kept in .cache/ so a build after a merge reads only the
new commits and validates only changed files; deleting .cache/ costs one slower build, nothing else.
Nothing is written when a file has errors. A sync or import that was killed while writing
servers/ or registry/ is first finished or undone (warning commit/recovered), so the build
never reads a half-written tree. A build that is killed leaves the previous output
in place; the next build removes what it left behind. A full disk (or quota, a read-only file
system, too many open files) ends the build with one line saying what ran out and where.
Exit codes: 0 built, 1 some input has errors, 2 usage or environment error.
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      out: { type: 'string' },
      'base-url': { type: 'string' },
      host: { type: 'string' },
      format: { type: 'string' },
      'log-key': { type: 'string' },
      'nginx-root': { type: 'string' },
      timings: { type: 'boolean' },
    });
    if (positionals.length > 0) throw usageError(`unexpected argument '${positionals[0]}'; see --help`);
    const host = (values.host ?? 'node') as HostKind;
    if (!HOST_KINDS.includes(host)) throw usageError(`--host must be one of ${HOST_KINDS.join(', ')}; got '${values.host}'`);
    const nginxRoot = values['nginx-root'];
    if (nginxRoot !== undefined && host !== 'nginx') throw usageError('--nginx-root is for --host nginx only');
    const nginxRootBad = nginxRoot === undefined ? undefined : nginxRootProblem(nginxRoot);
    if (nginxRootBad !== undefined) throw usageError(`--nginx-root ${nginxRootBad}`);
    const baseUrl = values['base-url'];
    if (baseUrl !== undefined && !/^https?:\/\/[^/]/.test(baseUrl)) throw usageError(`--base-url must be an http(s) URL; got '${baseUrl}'`);
    const format = values.format === 'json' ? 'json' : values.format === undefined || values.format === 'text' ? 'text' : undefined;
    if (format === undefined) throw usageError(`--format must be text or json; got '${values.format}'`);
    let logKey = io.env.MCP_REGISTRY_LOG_KEY;
    if (values['log-key'] !== undefined) {
      try {
        logKey = await readFile(resolve(io.cwd, values['log-key']), 'utf8');
      } catch (error) {
        throw environmentError(`--log-key ${values['log-key']}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    if (logKey !== undefined && logKey.trim() === '') logKey = undefined;
    if (logKey !== undefined) {
      const source = values['log-key'] ?? 'MCP_REGISTRY_LOG_KEY';
      // Every PEM block signs (a rotation holds two): each must be an Ed25519 key before anything is built.
      const blocks = privateKeyBlocks(logKey);
      for (const [i, pem] of (blocks.length > 0 ? blocks : [logKey]).entries()) {
        const which = blocks.length > 1 ? `${source} (key ${i + 1} of ${blocks.length})` : source;
        let checked: ReturnType<typeof verifierKeyString>;
        try {
          checked = verifierKeyString('log', createPrivateKey(pem));
        } catch (error) {
          throw environmentError(`${which}: not a PEM private key (${(error as Error).message}); make one with openssl genpkey -algorithm ed25519`);
        }
        if (!checked.ok) throw environmentError(`${which}: ${checked.error}`);
      }
    }
    // A killed sync or import leaves its journal: finish or undo it before anything reads the tree.
    const recovered = recoveryNotes(await recoverCommit(io.cwd));
    const config = await loadRegistryConfig(io.cwd);
    // Ctrl-C or a CI cancel removes this build's temporaries and ends the site build's processes.
    const keepSignals = undoOnSignals();
    let result: Awaited<ReturnType<typeof buildRegistry>>;
    const phases: [string, number][] = [];
    const started = performance.now();
    try {
      result = await buildRegistry({
        root: io.cwd,
        config,
        host,
        cacheDir: BUILD_CACHE_DIR,
        ...(values.out ? { out: values.out } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        ...(logKey === undefined ? {} : { logKey }),
        ...(nginxRoot === undefined ? {} : { nginxRoot }),
        ...(values.timings === true ? { timings: (phase: string, ms: number) => void phases.push([phase, ms]) } : {}),
      });
    } finally {
      keepSignals();
    }
    if (values.timings === true) {
      phases.push(['whole build', performance.now() - started]);
      const peak = (process.resourceUsage().maxRSS / 1024).toFixed(0);
      io.stderr(`build timings (wall; this process's peak RSS ${peak} MiB):\n${renderPhases(phases)}\n`);
    }
    if (recovered.length > 0) result.report = report([fileReport(COMMIT_DIR, recovered), ...result.report.files]);
    const problems = result.report.files.filter((f) => f.diagnostics.length > 0);
    if (format === 'json') io.stdout(renderReport({ ...result.report, files: problems }, 'json'));
    else if (problems.length > 0) io.stderr(renderReport({ ...result.report, files: problems }, 'text'));
    if (result.written && logKey === undefined) {
      io.stderr('build: dist/log/checkpoint is unsigned: pass --log-key FILE or set MCP_REGISTRY_LOG_KEY (docs/transparency-log.md)\n');
    }
    if (!result.written) {
      io.stderr('build: nothing written; fix the errors above\n');
      return EXIT_CHECK_FAILED;
    }
    const { dir, stats, servers, versions } = result.written;
    if (format === 'text') {
      const deleted = result.catalog?.entries.filter((e) => e.official.status === 'deleted').length ?? 0;
      const hidden = deleted > 0 ? ` (${deleted} deleted, served only with include_deleted)` : '';
      io.stdout(
        `built ${servers} servers, ${versions} versions${hidden} for host ${host} into ${dir} (${stats.written} files written, ${stats.linked + stats.kept} unchanged)\n`,
      );
    }
    return EXIT_OK;
  },
};
export default command;
