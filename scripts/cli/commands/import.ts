/** `mcp-registry import FILE`: official-format data into servers/, through validation and policy. */
import { resolve } from 'node:path';
import { loadRegistryConfig } from '../../config/registry-config.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, usageError } from '../../core/errors.ts';
import { faultHooks } from '../../ingest/commit-faults.ts';
import { importFile } from '../../ingest/import-file.ts';
import { leftOutLines } from '../../ingest/left-out.ts';
import { policyExclusion, policyOf } from '../../policy/load-policy.ts';
import { renderReport } from '../../validate/render.ts';
import { validateDocument } from '../../validate/validate-document.ts';
import { outputFormat, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  help: `Usage: mcp-registry import FILE [--format text|json]

Imports official-format data into servers/<namespace>/<name>/<version>.json:
  - official API pages ({"servers": [...], "metadata": {...}}), one or a list of them
  - a bare array of {server, _meta} items (the official /v0/servers dump)
  - an array of server.json documents, or a single one
  - the legacy 2025-05-16 seed format (snake_case, registry_name, version_detail)
Legacy fields are mapped to the current schema; what cannot be mapped is reported as a warning.
Every entry goes through the same validation as a pull request and the policy in
registry.config.yaml. Entries of API pages and {server, _meta} items are mirrored as served: what the
rules find is a warning, recorded in registry/upstream/ (docs/import.md). Entries that cannot be
kept (or, from a server.json array, are invalid) are not written: they are listed, with their
diagnostics and content, in registry/quarantine/import-<FILE>.json. Upstream statuses (deprecated, deleted) and
provenance go to registry/status/ and registry/upstream/; existing files are never overwritten.
All files are written at once, or none (a run killed while writing is completed or undone by the
next import or sync). The time recorded (fetchedAt, checkedAt) is the newest date in FILE, so the
same FILE always gives the same files.

Options:
  --format text|json   how to print the report (json: the validate report shape)
  -h, --help           show this help

Exit codes: 0 every entry imported or already present, 1 some entries refused (see the report),
2 usage or environment error (missing file, unreadable config).
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { format: { type: 'string' } });
    const format = outputFormat(values.format);
    const [file] = positionals;
    if (positionals.length !== 1 || file === undefined) throw usageError('expected exactly one FILE; see --help');
    const config = await loadRegistryConfig(io.cwd);
    const exclude = policyExclusion(policyOf(config));
    const commitHooks = faultHooks(io.env, io.stderr);
    const outcome = await importFile({ root: io.cwd, file: resolve(io.cwd, file), config, validate: validateDocument, exclude, commitHooks });
    io.stdout(renderReport(outcome.report, format));
    if (format === 'text' && outcome.plan) {
      const { plan } = outcome;
      const added = plan.accepted.filter((a) => a.isNew).length;
      io.stdout(
        `import (${outcome.shape}): ${added} added, ${plan.accepted.length - added} already present, ${plan.skipped.length} left out by policy, ${plan.quarantined.length} quarantined` +
          (outcome.quarantinePath ? ` (see ${outcome.quarantinePath})` : '') +
          '\n',
      );
      for (const line of leftOutLines(plan.skipped)) io.stdout(line);
    }
    return outcome.report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
  },
};
export default command;
