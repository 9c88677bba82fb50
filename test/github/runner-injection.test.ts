/**
 * Attack: a file name with a newline and `::notice …::` (or `##[…]`) printed raw by `pr-check run` becomes a
 * workflow command the Actions runner executes: a spoofed "Approved by maintainers" annotation. Real git, the
 * real command; the log is read the way the runner reads it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { escapeControlCharacters, runnerSafeLine } from '../../scripts/github/untrusted-text.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const SPOOF = '::notice title=Approved::Approved by maintainers';

/**
 * The lines the Actions runner would execute: it splits the log at CR and LF, takes a line whose trimmed start
 * is `::` as a command, and finds the older `##[command]` anywhere in a line.
 */
function runnerCommands(log: string): string[] {
  return log.split(/\r\n|\r|\n/).filter((line) => line.trim().startsWith('::') || line.includes('##['));
}

let repo: TestRepo;
let scratch: string;
let base: string;

beforeEach(() => {
  repo = makeRepo();
  repo.write('servers/io.github.alice/weather/1.0.0.json', serverJson('io.github.alice/weather', '1.0.0'));
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
  scratch = mkdtempSync(join(tmpdir(), 'mcp-registry-injection-'));
});
afterEach(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function prCheckRun(head: string) {
  const event = structuredClone(payload);
  event.pull_request.head.sha = head;
  event.pull_request.base.sha = base;
  writeFileSync(join(scratch, 'event.json'), JSON.stringify(event));
  let log = '';
  const write = (t: string) => {
    log += t;
  };
  const code = await main(['pr-check', 'run', '--event', 'event.json', '--repo', repo.dir, '--verify', 'no', '--out', 'result.json'], {
    stdout: write,
    stderr: write,
    cwd: scratch,
    env: { GITHUB_ACTIONS: 'true' },
  });
  return { code, log, result: JSON.parse(readFileSync(join(scratch, 'result.json'), 'utf8')) };
}

describe('pr-check run prints a PR’s file names as text, never as workflow commands', () => {
  it('refuses a file name with a newline and a workflow command, and prints it escaped', async () => {
    const name = `servers/io.github.alice/weather/1.1.0.json\n${SPOOF}\n`;
    repo.write(name, serverJson('io.github.alice/weather', '1.1.0'));
    const { code, log, result } = await prCheckRun(repo.commit('a file name that spoofs an approval'));
    expect(code).toBe(1);
    expect(result).toMatchObject({ ok: false, autoMerge: false });
    const file = result.files.find((f: { path: string }) => f.path === name);
    expect(file.diagnostics[0]).toMatchObject({ code: 'pr/path-control-character', severity: 'error' });
    expect(file.checks.validate).toBe('skipped');
    expect(runnerCommands(log)).toEqual([]);
    expect(log).toContain('"servers/io.github.alice/weather/1.1.0.json\\n::notice title=Approved::Approved by maintainers\\n" contains a control character');
  }, 30_000);

  it('prints a name that starts a line with :: or holds ##[ without letting the runner read it', async () => {
    repo.write(`${SPOOF}.md`, 'x');
    repo.write('##[warning]Approved by maintainers.md', 'x');
    const { log, result } = await prCheckRun(repo.commit('names without control characters'));
    expect(result.reviewReasons.join('\n')).toMatch(/outside servers/);
    expect(log).toMatch(/^\\::notice title=Approved::Approved by maintainers\.md:0:0 warning pr\/outside-registry/m);
    expect(log).toContain('##\\[warning]Approved by maintainers.md');
    expect(runnerCommands(log)).toEqual([]);
  }, 30_000);

  it('refuses tabs, escapes, carriage returns and bidirectional overrides in names too', async () => {
    for (const c of ['\t', '\u001b', '\r', '\u202e']) repo.write(`servers/io.github.alice/weather/1.${c.charCodeAt(0)}.0${c}.json`, '{}');
    const { log, result } = await prCheckRun(repo.commit('control characters'));
    const codes = result.files.map((f: { diagnostics: { code: string }[] }) => f.diagnostics[0]!.code);
    expect(codes).toEqual(['pr/path-control-character', 'pr/path-control-character', 'pr/path-control-character', 'pr/path-control-character']);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the log must hold none of these controls
    expect(log).not.toMatch(/[\t\u001b\r\u202e]/);
  }, 30_000);
});

describe('runnerSafeLine', () => {
  it('keeps ordinary lines as they are', () => {
    const line = 'servers/io.github.alice/weather/1.0.0.json:3:5 error name/format: use [::1] only for local tests';
    expect(runnerSafeLine(line)).toBe(line);
  });

  it('leaves no runner command in any line it prints', () => {
    for (const evil of [
      SPOOF,
      `  ${SPOOF}`,
      `\u00a0${SPOOF}`,
      `x\n${SPOOF}`,
      `x\r${SPOOF}`,
      `x\u2028${SPOOF}`,
      'a ##[set-output name=x]y',
      '::add-mask::secret',
      '::stop-commands::t',
    ]) {
      expect(runnerCommands(runnerSafeLine(evil)), JSON.stringify(evil)).toEqual([]);
    }
  });

  it('shows control characters as visible escapes', () => {
    expect(escapeControlCharacters('a\nb\tc\u0007\u202e')).toBe('a\\nb\\tc\\u0007\\u202e');
  });
});
