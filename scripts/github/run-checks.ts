/**
 * Runs this installation's own CLI (validate, verify) on the PR's files and reads its `--format json` output
 * through the report guard. The CLI is this checkout's (the base branch's), the files are the PR's: data, not code.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Report } from '../core/diagnostics.ts';
import { err, ok, type Result } from '../core/result.ts';
import { isReport } from './report-guard.ts';

const BIN = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));

/** The report, or why the CLI gave none. */
export type CliReport = Result<Report>;
export type CliRunner = (args: readonly string[], cwd: string) => Promise<CliReport>;

export function createCliRunner(timeoutMs = 20 * 60_000): CliRunner {
  return (args, cwd) =>
    new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args], { cwd, timeout: timeoutMs, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const label = `mcp-registry ${args[0]}`;
        if (code !== 0 && code !== 1) {
          resolve(err(`${label} could not run (exit ${code}): ${(stderr || error?.message || '').trim().split('\n').slice(-3).join(' ')}`));
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(stdout);
        } catch {
          resolve(err(`${label} printed no JSON report`));
          return;
        }
        resolve(isReport(parsed) ? ok(parsed) : err(`${label} printed JSON that is not a report`));
      });
    });
}
