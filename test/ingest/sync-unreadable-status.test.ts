import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import { importFile } from '../../scripts/ingest/import-file.ts';
import type { SyncOptions } from '../../scripts/ingest/run-sync.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream } from '../fixtures/sync/upstream-server.ts';

// A status file a moderator edited by hand and broke: sync and import rewrite status files, and
// a file they cannot read must stop them, not be replaced by what the upstream alone says.

const NAME = 'io.github.upstream-org/server-00000';
const STATUS = `registry/status/${NAME}.yaml`;
/** Two moderator decisions; line 6 (`"1.0.0"`) is missing its colon, so the YAML does not parse. */
const BROKEN_YAML = [
  'versions:',
  '  "0.9.0":',
  '    status: deleted',
  '    statusMessage: Malware found in this release; use 1.0.0.',
  '    statusChangedAt: "2026-01-02T00:00:00Z"',
  '  "1.0.0"',
  '    status: deprecated',
  '    statusMessage: Use 1.1.0 instead.',
  '    statusChangedAt: "2026-01-02T00:00:00Z"',
  '',
].join('\n');
/** Valid YAML, but `statuss` is not a key a status file has: the parser refuses it as well. */
const BAD_SHAPE = [
  'versions:',
  '  "1.0.0":',
  '    statuss: deprecated',
  '    statusMessage: Use 1.1.0 instead.',
  '    statusChangedAt: "2026-01-02T00:00:00Z"',
  '',
].join('\n');

let root: string;

function git(cwd: string, ...args: string[]): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' };
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd, env, encoding: 'utf8' });
}
let upstream: Upstream | undefined;
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sync-unreadable-'));
});
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
  for (const close of closers.splice(0)) await close();
  rmSync(root, { recursive: true, force: true });
});

function sync(extra: Partial<SyncOptions> = {}) {
  const { fetchPage, close } = createPageFetcher({ from: upstream!.url, backoffMs: 5, retries: 0 });
  closers.push(close);
  return runSync({
    root,
    from: upstream!.url,
    config: DEFAULT_CONFIG,
    validate: validateDocument,
    fetchPage,
    now: () => new Date('2026-02-01T00:00:00Z'),
    ...extra,
  });
}

function writeStatus(text: string): void {
  mkdirSync(join(root, STATUS, '..'), { recursive: true });
  writeFileSync(join(root, STATUS), text);
}

/** Mirrors two servers, then the upstream deprecates a new version of the first: its status file must be rewritten. */
async function mirrorThenDeprecateNewVersion(): Promise<void> {
  upstream = await startUpstream({ entries: [makeEntry(0), makeEntry(1)] });
  expect((await sync()).report.ok).toBe(true);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'mirror');
  upstream.entries.push(makeEntry(0, { version: '1.1.0', status: 'deprecated', updatedAt: '2025-09-01T00:00:00Z' }));
}

/** What git sees changed in the registry since the mirror commit (untracked files included). */
const changedSinceMirror = () => git(root, 'status', '--porcelain', '--untracked-files=all').trim();

describe('a status file sync cannot read', () => {
  it('stops the sync with the file, line, column and code, and writes nothing', async () => {
    await mirrorThenDeprecateNewVersion();
    writeStatus(BROKEN_YAML);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'moderator decisions');

    const outcome = await sync();

    expect(outcome.report.ok).toBe(false);
    const file = outcome.report.files.find((f) => f.path === STATUS);
    expect(file).toBeDefined();
    const [refusal, ...why] = file!.diagnostics;
    expect(refusal).toMatchObject({ code: 'commit/unreadable-status', severity: 'error', line: 6, column: 3 });
    expect(refusal!.message).toContain('nothing was written');
    expect(refusal!.message).toMatch(/fix .*then run the same command again/i);
    expect(why.map((d) => d.code)).toEqual(['lifecycle/yaml']);
    expect(outcome.written).toEqual([]);
    expect(readFileSync(join(root, STATUS), 'utf8')).toBe(BROKEN_YAML);
    // Neither the new version nor the watermark: the next run, after the fix, must see it again.
    expect(changedSinceMirror()).toBe('');
  });

  it('refuses a status file of valid YAML that the status parser refuses', async () => {
    await mirrorThenDeprecateNewVersion();
    writeStatus(BAD_SHAPE);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'moderator decisions');

    const outcome = await sync();

    const file = outcome.report.files.find((f) => f.path === STATUS);
    expect(file?.diagnostics.map((d) => d.code)).toEqual(['commit/unreadable-status', 'lifecycle/shape', 'lifecycle/status']);
    expect(file?.diagnostics[0]).toMatchObject({ pointer: '/versions/1.0.0/statuss', line: 3 });
    expect(readFileSync(join(root, STATUS), 'utf8')).toBe(BAD_SHAPE);
    expect(changedSinceMirror()).toBe('');
  });

  it('refuses before marking a version the upstream removed as deleted', async () => {
    upstream = await startUpstream({ entries: [makeEntry(0), makeEntry(1)] });
    expect((await sync()).report.ok).toBe(true);
    writeStatus(BROKEN_YAML);
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'mirror');
    upstream.entries.splice(0, 1);

    const outcome = await sync({ full: true, allowRemovals: 1 });

    expect(outcome.report.files.find((f) => f.path === STATUS)?.diagnostics[0]?.code).toBe('commit/unreadable-status');
    expect(changedSinceMirror()).toBe('');
  });

  it('goes on when the run would not rewrite that file, leaving it as it is', async () => {
    upstream = await startUpstream({ entries: [makeEntry(0), makeEntry(1)] });
    expect((await sync()).report.ok).toBe(true);
    writeStatus(BROKEN_YAML);
    upstream.entries.push(makeEntry(1, { version: '1.1.0', status: 'deprecated', updatedAt: '2025-09-01T00:00:00Z' }));

    const outcome = await sync({ full: true });

    expect(outcome.report.ok).toBe(true);
    expect(outcome.written).toContain('registry/status/io.github.upstream-org/server-00001.yaml');
    expect(outcome.written).not.toContain(STATUS);
    expect(readFileSync(join(root, STATUS), 'utf8')).toBe(BROKEN_YAML);
  });

  it('mirrors the change once the moderator fixes the file, keeping both decisions', async () => {
    await mirrorThenDeprecateNewVersion();
    writeStatus(BROKEN_YAML);
    expect((await sync()).report.ok).toBe(false);

    writeStatus(BROKEN_YAML.replace('  "1.0.0"\n', '  "1.0.0":\n'));
    const outcome = await sync();

    expect(outcome.report.ok).toBe(true);
    const status = readFileSync(join(root, STATUS), 'utf8');
    expect(status).toContain('Malware found in this release; use 1.0.0.');
    expect(status).toContain('Use 1.1.0 instead.');
    expect(status).toMatch(/"1\.1\.0":\n {4}status: deprecated/);
  });

  it('the sync command prints path:line:column and the code, and exits 1', async () => {
    await mirrorThenDeprecateNewVersion();
    writeStatus(BROKEN_YAML);
    let out = '';
    const io = {
      stdout: (t: string) => {
        out += t;
      },
      stderr: () => {},
      cwd: root,
      env: {},
    };

    expect(await main(['sync', '--from', upstream!.url], io)).toBe(1);
    expect(out).toContain(`${STATUS}:6:3 error commit/unreadable-status: `);
    expect(readFileSync(join(root, STATUS), 'utf8')).toBe(BROKEN_YAML);
  });

  it('stops an import the same way', async () => {
    await mirrorThenDeprecateNewVersion();
    writeStatus(BROKEN_YAML);
    const dump = join(root, '..', `${root.split('/').at(-1)}-dump.json`);
    closers.push(async () => rmSync(dump, { force: true }));
    writeFileSync(dump, JSON.stringify({ servers: upstream!.entries, metadata: { count: upstream!.entries.length } }));

    const outcome = await importFile({ root, file: dump, config: DEFAULT_CONFIG, validate: validateDocument });

    expect(outcome.report.files.find((f) => f.path === STATUS)?.diagnostics[0]?.code).toBe('commit/unreadable-status');
    expect(outcome.written).toEqual([]);
    expect(readFileSync(join(root, STATUS), 'utf8')).toBe(BROKEN_YAML);
  });
});
