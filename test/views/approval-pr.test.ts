/**
 * The approval workflow end to end, on a real git repository and the fake (real-HTTP) GitHub API:
 * a pull request that changes registry/approved.yaml is never merged by the bot, says what it approves
 * or withdraws and whether its author is a maintainer; once merged, the approved view and its policy
 * outputs follow the list, and `_meta` says who approved and when.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerListResponse } from '../../scripts/core/api-types.ts';
import { apiEmitter } from '../../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { clientEmitter } from '../../scripts/emit/client-emitter.ts';
import { startFakeGitHub, type FakeGitHub } from '../fixtures/github/fake-github.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));

let gh: FakeGitHub;
let repo: TestRepo;
let tools: string;
let base: string;

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('team-reader', 'registry-bot');
  gh.addTeam('mcp-static-registry', 'maintainers', ['carol'], ['registry-bot']);
  repo = makeRepo();
  repo.write('servers/io.github.bob/tool/1.0.0.json', serverJson('io.github.bob/tool', '1.0.0'));
  repo.write('servers/io.github.bob/tool/1.1.0.json', serverJson('io.github.bob/tool', '1.1.0'));
  repo.write('servers/io.github.eve/other/1.0.0.json', serverJson('io.github.eve/other', '1.0.0'));
  base = repo.commit('two servers');
  repo.run('checkout', '-q', '-b', 'pr');
  tools = mkdtempSync(join(tmpdir(), 'mcp-registry-tools-'));
  writeFileSync(join(tools, 'registry.config.yaml'), 'maintainers: [dave, mcp-static-registry/maintainers]\n');
});
afterEach(async () => {
  await gh.close();
  repo.cleanup();
  rmSync(tools, { recursive: true, force: true });
});

const approval = (by: string, versions = '["1.0.0"]') => `io.github.bob/tool:\n  - versions: ${versions}\n    by: ${by}\n    at: "2026-11-30T10:00:00Z"\n`;

async function prCheckRun(head: string, author: string, exit = 0) {
  let stderr = '';
  const event = structuredClone(payload);
  event.pull_request.user.login = author;
  event.pull_request.author_association = 'MEMBER';
  event.pull_request.head.sha = head;
  event.pull_request.base.sha = base;
  writeFileSync(join(tools, 'event.json'), JSON.stringify(event));
  const code = await main(['pr-check', 'run', '--event', 'event.json', '--repo', repo.dir, '--verify', 'no', '--out', 'result.json'], {
    stdout: () => {},
    stderr: (t) => {
      stderr += t;
    },
    cwd: tools,
    env: { GITHUB_API_URL: gh.url, MAINTAINERS_TOKEN: 'team-reader' },
  });
  expect(code, stderr).toBe(exit);
  return JSON.parse(readFileSync(join(tools, 'result.json'), 'utf8'));
}

const codes = (file: { diagnostics: { code: string }[] }) => file.diagnostics.map((d) => d.code);

describe('a pull request that changes the approved list', () => {
  it('from someone who is not a maintainer goes to a maintainer, naming what it approves', async () => {
    repo.write('registry/approved.yaml', approval('mallory'));
    const result = await prCheckRun(repo.commit('mallory approves bob’s tool'), 'mallory');
    expect(result).toMatchObject({ ok: true, autoMerge: false });
    expect(result.labels).toContain('needs-review');
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({ path: 'registry/approved.yaml', kind: 'approval', checks: { validate: 'passed', ownership: 'skipped' } });
    expect(codes(result.files[0])).toEqual(['approval/changed']);
    expect(result.reviewReasons.join('\n')).toMatch(
      /changes the approved list registry\/approved\.yaml \(approves io\.github\.bob\/tool 1\.0\.0 \(by mallory, 2026-11-30T10:00:00\.000Z\)\), which only a maintainer may change, and mallory is not one/,
    );
    expect(gh.calls.map((c) => c.path)).toEqual(['/orgs/mcp-static-registry/teams/maintainers/memberships/mallory']);
  }, 30_000);

  it('from a maintainer of the team is still merged by a human, never by the bot', async () => {
    repo.write('registry/approved.yaml', approval('carol'));
    const result = await prCheckRun(repo.commit('carol approves bob’s tool'), 'carol');
    expect(result).toMatchObject({ ok: true, autoMerge: false });
    expect(result.reviewReasons.join('\n')).toMatch(/approvals are merged by a maintainer, never by the bot/);
    expect(codes(result.files[0])).toEqual(['approval/changed']);
  }, 30_000);

  it('that records someone else as approver says so', async () => {
    repo.write('registry/approved.yaml', approval('alice'));
    const result = await prCheckRun(repo.commit('dave writes alice’s approval'), 'dave');
    expect(codes(result.files[0])).toEqual(['approval/changed', 'approval/recorded-by-other']);
    expect(result.files[0].diagnostics[1].message).toMatch(/names alice as approver, but dave opened this pull request/);
  }, 30_000);

  it('that withdraws an approval lists the withdrawal', async () => {
    repo.write('registry/approved.yaml', approval('dave'));
    base = repo.commit('dave approved bob’s tool');
    repo.write('registry/approved.yaml', '{}\n');
    const result = await prCheckRun(repo.commit('mallory withdraws it'), 'mallory');
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons.join('\n')).toMatch(/withdraws io\.github\.bob\/tool 1\.0\.0 \(by dave/);
  }, 30_000);

  it('with a list that does not hold fails, and the bot says where', async () => {
    repo.write('registry/approved.yaml', 'io.github.bob/tool:\n  - versions: ["1.0.0"]\n    by: not a login\n    at: yesterday\n');
    const result = await prCheckRun(repo.commit('a broken approval'), 'dave', 1);
    expect(result).toMatchObject({ ok: false, autoMerge: false });
    expect(result.labels).toContain('invalid');
    expect(result.files[0].checks.validate).toBe('failed');
    expect(result.files[0].diagnostics.map((d: { code: string; pointer: string; line: number }) => [d.code, d.pointer, d.line])).toEqual([
      ['approval/shape', '/io.github.bob~1tool/0/by', 3],
      ['approval/shape', '/io.github.bob~1tool/0/at', 4],
    ]);
  }, 30_000);
});

describe('once merged', () => {
  async function build(): Promise<string> {
    const out = join(mkdtempSync(join(tmpdir(), 'mcp-registry-approved-')), 'dist');
    const config = structuredClone(DEFAULT_CONFIG);
    config.extra = { views: [{ name: 'production', title: 'Approved for production', approved: true }] };
    const result = await buildRegistry({ root: repo.dir, config, out, emitters: [apiEmitter, clientEmitter] });
    expect(result.report.files.filter((f) => !f.ok)).toEqual([]);
    return out;
  }
  const served = (dist: string) =>
    (JSON.parse(readFileSync(join(dist, 'views/production/v0.1/servers.json'), 'utf8')) as ServerListResponse).servers.map(
      (s) => `${s.server.name}@${s.server.version}`,
    );
  const allowed = (dist: string) =>
    (
      JSON.parse(readFileSync(join(dist, 'views/production/clients/managed-settings.json'), 'utf8')) as { allowedMcpServers: { serverName?: string }[] }
    ).allowedMcpServers.flatMap((e) => (e.serverName ? [e.serverName] : []));

  it('the approved view, its policy outputs and _meta follow the list', async () => {
    repo.write('registry/approved.yaml', approval('dave'));
    repo.commit('dave approves bob’s tool 1.0.0');
    const first = await build();
    expect(served(first)).toEqual(['io.github.bob/tool@1.0.0']);
    expect(allowed(first)).toEqual(['io.github.bob/tool']);
    const all = JSON.parse(readFileSync(join(first, 'v0.1/servers.json'), 'utf8')) as ServerListResponse;
    const approved = (version: string) =>
      (
        all.servers.find((s) => s.server.name === 'io.github.bob/tool' && s.server.version === version)?._meta[DEFAULT_CONFIG.metaNamespace] as Record<
          string,
          unknown
        >
      )?.approved;
    expect(approved('1.0.0')).toEqual({ by: 'dave', at: '2026-11-30T10:00:00.000Z' });
    expect(approved('1.1.0')).toBeUndefined();

    repo.write(
      'registry/approved.yaml',
      `${approval('dave', '["*"]')}io.github.eve/other:\n  - versions: ["*"]\n    by: carol\n    at: "2026-12-01T08:00:00Z"\n`,
    );
    repo.commit('every version of both');
    const second = await build();
    expect(served(second)).toEqual(['io.github.bob/tool@1.0.0', 'io.github.bob/tool@1.1.0', 'io.github.eve/other@1.0.0']);
    expect(allowed(second)).toEqual(['io.github.bob/tool', 'io.github.eve/other']);

    repo.write('registry/approved.yaml', '{}\n');
    repo.commit('withdrawn');
    const third = await build();
    expect(served(third)).toEqual([]);
    expect(allowed(third)).toEqual([]);
  }, 30_000);
});
