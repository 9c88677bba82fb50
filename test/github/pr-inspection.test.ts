/**
 * The PR check's inspection of the versions a PR adds: real MCP servers (the SDK's server side) on
 * 127.0.0.1, a real git repository, the real check, and the fake GitHub server for the comment.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../scripts/net/github-client.ts';
import { MAX_COMMENT_CHARS, renderComment } from '../../scripts/github/pr-comment.ts';
import type { PrCheckResult } from '../../scripts/github/pr-decision.ts';
import { readPullRequestEvent, type PullRequestEvent } from '../../scripts/github/pr-event.ts';
import { runPrCheck, type PrCheckRunOptions } from '../../scripts/github/pr-check-run.ts';
import { isPrInspection, PR_MAX_TOOLS, renderInspectionSection, type PrInspection } from '../../scripts/github/pr-inspection.ts';
import { reportCheckResult } from '../../scripts/github/pr-report.ts';
import { isPrCheckResult } from '../../scripts/github/report-guard.ts';
import type { CliRunner } from '../../scripts/github/run-checks.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';
import { startFakeGitHub } from '../fixtures/github/fake-github.ts';
import { manyTools, startHangingServer, startMcpServer } from '../inspect/mcp-servers.ts';
import type { Offer } from '../inspect/mcp-servers.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const NAME = 'io.github.alice/weather';
const PATH = 'servers/io.github.alice/weather/1.1.0.json';
const CONFIG =
  'name: test-registry\nbaseUrl: https://registry.example.com\ninspect:\n  contact: mailto:ops@example.com\n  requestTimeoutMs: 1000\n  sessionTimeoutMs: 10000\n';

const closers: (() => Promise<void>)[] = [];
let repo: TestRepo;
let base: string;
let scratch: string;

beforeEach(() => {
  repo = makeRepo();
  repo.write('registry.config.yaml', CONFIG);
  repo.write('servers/io.github.alice/weather/1.0.0.json', serverJson(NAME, '1.0.0'));
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
  scratch = mkdtempSync(join(tmpdir(), 'mcp-registry-prinspect-'));
});
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function event(head: string): PullRequestEvent {
  const parsed = readPullRequestEvent(payload);
  if (!parsed.ok) throw new Error(parsed.error);
  return { ...parsed.value, baseSha: base, headSha: head };
}

/**
 * validate and verify pass for every path they are given. The loopback URLs stand in for public
 * ones, which validate would (rightly) insist on; what is under test is the inspection.
 */
const passing: CliRunner = async (args) => ({
  ok: true,
  value: { ok: true, files: args.slice(args.indexOf('--') + 1).map((path) => ({ path, ok: true, diagnostics: [] })) },
});

function check(head: string, over: Partial<PrCheckRunOptions> = {}) {
  return runPrCheck({
    repo: repo.dir,
    base,
    head,
    event: event(head),
    maintainer: async () => ({ maintainer: false }),
    verify: true,
    endpoints: [],
    maxFiles: 100,
    runCli: passing,
    inspect: { allowPrivateNetwork: true },
    ...over,
  });
}

async function mcp(options: Parameters<typeof startMcpServer>[0]) {
  const server = await startMcpServer(options);
  closers.push(() => server.close());
  return server;
}

const forecast: Offer = {
  tools: [
    { name: 'forecast', description: 'Days ahead', inputSchema: { type: 'object', properties: { days: { type: 'number' } } } },
    { name: 'alerts', description: 'Weather alerts', inputSchema: { type: 'object' } },
  ],
  prompts: [{ name: 'daily' }],
};

describe('the PR check inspects the versions a PR adds', () => {
  it('records what each remote offers and why one did not answer, and leaves stdio packages unstarted', async () => {
    const http = await mcp({ transport: 'streamable-http', offer: () => forecast });
    const sse = await mcp({ transport: 'sse', offer: () => forecast });
    const locked = await mcp({ transport: 'streamable-http', offer: () => forecast, token: 'secret' });
    repo.write(
      PATH,
      serverJson(NAME, '1.1.0', {
        remotes: [
          { type: 'streamable-http', url: http.url },
          { type: 'sse', url: sse.url },
          { type: 'streamable-http', url: locked.url, headers: [{ name: 'Authorization', isRequired: true, isSecret: true }] },
        ],
        packages: [{ registryType: 'npm', identifier: '@alice/weather', version: '1.1.0', transport: { type: 'stdio' } }],
      }),
    );
    const head = repo.commit('add 1.1.0');
    const result = await check(head);
    const inspection = result.inspection;
    expect(inspection?.status).toBe('ran');
    const version = inspection?.versions[0];
    expect(version).toMatchObject({ path: PATH, name: NAME, version: '1.1.0' });
    const byUrl = new Map(version?.endpoints.map((e) => [e.url, e]));
    for (const url of [http.url, sse.url]) {
      expect(byUrl.get(url)).toMatchObject({
        reachable: true,
        serverInfo: { name: 'test-server', version: '1.2.3' },
        toolCount: 2,
        promptCount: 1,
        tools: [
          { name: 'alerts', description: 'Weather alerts' },
          { name: 'forecast', description: 'Days ahead' },
        ],
        fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      expect(byUrl.get(url)?.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(byUrl.get(locked.url)).toMatchObject({ reachable: false, error: { code: 'auth-required' }, needs: { headers: ['Authorization'] } });
    expect(version?.skipped).toEqual([{ key: 'stdio:npm:@alice/weather@1.1.0', why: expect.stringMatching(/not started by the PR check/) }]);
    // The same remote offers the same tools through both transports.
    expect(byUrl.get(http.url)?.fingerprint).toBe(byUrl.get(sse.url)?.fingerprint);
    // No credentials, and the registry's User-Agent.
    expect(locked.requests.every((r) => r.userAgent === 'test-registry-inspect/0.1 (+mailto:ops@example.com; MCP registry inspection)')).toBe(true);
    expect(isPrCheckResult(JSON.parse(JSON.stringify(result)))).toBe(true);
    // Informational: the verdict is the one the check gives without inspecting.
    const without = await check(head, { inspect: { enabled: false } });
    expect({ ...result, inspection: undefined }).toEqual({ ...without, inspection: undefined });
    expect(without.inspection).toEqual({ status: 'skipped', note: 'inspection is off for this check', versions: [] });
  });

  it('refuses loopback addresses unless told otherwise: no request reaches the server', async () => {
    const http = await mcp({ transport: 'streamable-http', offer: () => forecast });
    repo.write(PATH, serverJson(NAME, '1.1.0', { remotes: [{ type: 'streamable-http', url: http.url }] }));
    const result = await check(repo.commit('add'), { inspect: {} });
    expect(result.inspection?.versions[0]?.endpoints[0]).toMatchObject({ reachable: false, error: { code: 'ssrf-refused' } });
    expect(http.requests).toEqual([]);
  });

  it('reaches no server when verify does not run (a fork before the safe-to-verify label), nor for a file validate rejects', async () => {
    const http = await mcp({ transport: 'streamable-http', offer: () => forecast });
    repo.write(PATH, serverJson(NAME, '1.1.0', { remotes: [{ type: 'streamable-http', url: http.url }] }));
    const head = repo.commit('add');
    expect((await check(head, { verify: false })).inspection).toEqual({
      status: 'skipped',
      note: 'the network checks did not run for this pull request',
      versions: [],
    });
    const failing: CliRunner = async (args) => ({
      ok: true,
      value: {
        ok: false,
        files: [
          { path: args.at(-1) ?? '', ok: false, diagnostics: [{ code: 'schema/x', severity: 'error', message: 'bad', pointer: '', line: 1, column: 1 }] },
        ],
      },
    });
    expect((await check(head, { runCli: failing })).inspection).toEqual({ status: 'skipped', note: 'no added version passed validation', versions: [] });
    expect(http.requests).toEqual([]);
  });

  it('gives up on a server that never answers within the session limit and on what is left after the deadline', async () => {
    const hanging = await startHangingServer();
    closers.push(() => hanging.close());
    repo.write(
      PATH,
      serverJson(NAME, '1.1.0', {
        remotes: [
          { type: 'streamable-http', url: hanging.url },
          { type: 'streamable-http', url: `${hanging.url}?second` },
        ],
      }),
    );
    const started = Date.now();
    const result = await check(repo.commit('add'), { inspect: { allowPrivateNetwork: true, deadlineMs: 300 } });
    const took = Date.now() - started;
    const version = result.inspection?.versions[0];
    expect(version?.endpoints).toEqual([expect.objectContaining({ url: hanging.url, reachable: false, error: expect.objectContaining({ code: 'timeout' }) })]);
    // One connection per host: the second URL on the same host waited, then the deadline had passed.
    expect(version?.skipped).toEqual([{ key: `${hanging.url}?second`, why: expect.stringMatching(/inspection time/) }]);
    expect(took).toBeLessThan(5000);
  });

  it('caps a server with 10,000 tools in the artifact and the comment, and counts the rest', async () => {
    const big = await mcp({ transport: 'streamable-http', offer: () => ({ tools: manyTools(10_000), pageSize: 1000 }) });
    repo.write(PATH, serverJson(NAME, '1.1.0', { remotes: [{ type: 'streamable-http', url: big.url }] }));
    const result = await check(repo.commit('add'), {
      inspect: { allowPrivateNetwork: true },
    });
    const endpoint = result.inspection?.versions[0]?.endpoints[0];
    expect(endpoint?.toolCount).toBe(10_000);
    expect(endpoint?.tools).toHaveLength(PR_MAX_TOOLS);
    const artifact = JSON.stringify(result);
    expect(artifact.length).toBeLessThan(20_000);
    expect(isPrCheckResult(JSON.parse(artifact))).toBe(true);
    const comment = renderComment(result, { docsBase: 'https://x' });
    expect(comment.length).toBeLessThan(MAX_COMMENT_CHARS);
    expect(comment).toContain('10000 tools');
    expect(comment).toContain(`…and ${10_000 - PR_MAX_TOOLS} more`);
  }, 30_000);
});

const SHA = 'b'.repeat(40);
const hostile: PrInspection = {
  status: 'ran',
  versions: [
    {
      path: PATH,
      name: NAME,
      version: '1.1.0',
      endpoints: [
        {
          url: 'https://mcp.example.com/mcp',
          transport: 'streamable-http',
          reachable: true,
          serverInfo: { name: 'evil [click](https://phish.example)', version: '1' },
          tools: [{ name: '<img src=x onerror=alert(1)>', description: 'Ping @maintainers\nthen `rm -rf` ![x](https://t.example/p.png)' }],
          toolCount: 1,
          promptCount: 0,
          resourceCount: 0,
        },
        {
          url: 'https://down.example.com/mcp',
          transport: 'sse',
          reachable: false,
          error: { code: 'timeout', message: 'initialize: no answer in time' },
          tools: [],
          toolCount: 0,
          promptCount: 0,
          resourceCount: 0,
        },
      ],
      skipped: [],
    },
  ],
};

function result(inspection: unknown): PrCheckResult {
  return {
    schemaVersion: 1,
    number: 1,
    headSha: SHA,
    ok: true,
    files: [
      {
        path: PATH,
        kind: 'new-version',
        serverName: NAME,
        checks: { immutability: 'passed', validate: 'passed', verify: 'passed', ownership: 'passed' },
        diagnostics: [],
      },
    ],
    diagnostics: [],
    labels: ['new-version', 'needs-review'],
    autoMerge: false,
    reviewReasons: ['a reason'],
    inspection: inspection as PrInspection,
  };
}

describe('the reporting job reads the inspection as untrusted data', () => {
  it('refuses an artifact whose inspection has unknown fields, over-long text or too many tools', () => {
    expect(isPrCheckResult(result(hostile))).toBe(true);
    const endpoint = hostile.versions[0]!.endpoints[0]!;
    const variant = (e: Record<string, unknown>) => ({ ...hostile, versions: [{ ...hostile.versions[0], endpoints: [e] }] });
    expect(isPrInspection(variant({ ...endpoint, onclick: 'x' }))).toBe(false);
    expect(isPrInspection(variant({ ...endpoint, tools: [{ name: 'x'.repeat(5000) }] }))).toBe(false);
    expect(isPrInspection(variant({ ...endpoint, tools: Array.from({ length: PR_MAX_TOOLS + 1 }, (_, i) => ({ name: `t${i}` })) }))).toBe(false);
    expect(isPrInspection(variant({ ...endpoint, error: { code: 'pwned', message: 'x' } }))).toBe(false);
    expect(isPrInspection(variant({ ...endpoint, toolCount: -1 }))).toBe(false);
    expect(isPrInspection({ status: 'ran', versions: 'all' })).toBe(false);
    expect(isPrCheckResult(result({ status: 'maybe', versions: [] }))).toBe(false);
  });

  it('shows the tools in the sticky comment as plain text: no HTML, links, images or mentions', async () => {
    const gh = await startFakeGitHub();
    closers.push(() => gh.close());
    gh.tokens.set('bot-token', 'github-actions[bot]');
    gh.addRepo('reg/registry', { writers: ['github-actions[bot]'] });
    gh.addPull('reg/registry', { number: 1, author: 'alice', headSha: SHA, files: [{ filename: PATH, status: 'added' }] });
    const octokit = createGitHubClient({ baseUrl: gh.url, token: 'bot-token', sleep: async () => {}, maxRetries: 1 });
    const target = { owner: 'reg', repo: 'registry', runHeadSha: SHA, botLogin: 'github-actions[bot]', docsBase: 'https://docs.example', allowMerge: true };
    expect((await reportCheckResult(octokit, target, result(hostile))).comment).toBe('created');
    const body = gh.repos.get('reg/registry')!.issues[0]!.comments[0]!.body;
    expect(body).toContain('### What the added versions offer');
    expect(body).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(body).not.toContain('<img');
    expect(body).not.toContain('@maintainers');
    expect(body).not.toContain('](https://phish.example)');
    expect(body).not.toContain('![x]');
    expect(body).toContain('- ❌ https\\://down\\.example\\.com/mcp (sse): did not answer (no answer in time: initialize\\: no answer in time).');
    expect(body).toContain('[docs/inspection.md](https://docs.example/docs/inspection.md)');
    // A comment already full of diagnostics leaves the section out rather than going over GitHub's limit.
    expect(renderInspectionSection(hostile, { docsBase: 'https://x', maxChars: 200 })).toEqual([]);
    expect(renderInspectionSection(hostile, { docsBase: 'https://x', maxChars: -5 })).toEqual([]);
    expect(
      (await reportCheckResult(octokit, target, result({ status: 'skipped', note: 'the network checks did not run for this pull request', versions: [] })))
        .comment,
    ).toBe('updated');
    expect(gh.repos.get('reg/registry')!.issues[0]!.comments[0]!.body).toContain('Not inspected: the network checks did not run for this pull request.');
  });
});

describe('the weekly inspection pull request goes to a human', () => {
  const INSPECTION = 'registry/inspections/io.github.alice/weather/1.0.0.json';

  it('is held for review by the check and never merged by the report, even for a maintainer', async () => {
    repo.write(INSPECTION, '{"schemaVersion": 1}\n');
    const head = repo.commit('inspect: weekly inspection of remotes');
    const checked = await check(head, { maintainer: async () => ({ maintainer: true, via: 'login' }) });
    expect(checked.autoMerge).toBe(false);
    expect(checked.labels).toContain('needs-review');
    expect(checked.reviewReasons).toContain('it changes files outside servers/ and registry/status/');
    expect(checked.inspection).toBeUndefined();

    // Whatever the artifact says, the report merges nothing outside servers/ and registry/status/.
    const gh = await startFakeGitHub();
    closers.push(() => gh.close());
    gh.tokens.set('bot-token', 'github-actions[bot]');
    gh.addRepo('reg/registry', { writers: ['github-actions[bot]'] });
    gh.addPull('reg/registry', { number: 1, author: 'github-actions[bot]', headSha: SHA, files: [{ filename: INSPECTION, status: 'modified' }] });
    const octokit = createGitHubClient({ baseUrl: gh.url, token: 'bot-token', sleep: async () => {}, maxRetries: 1 });
    const target = { owner: 'reg', repo: 'registry', runHeadSha: SHA, botLogin: 'github-actions[bot]', docsBase: 'https://x', allowMerge: true };
    const forged = { ...result(undefined), files: [], autoMerge: true, labels: [], reviewReasons: [] } as PrCheckResult;
    delete forged.inspection;
    const outcome = await reportCheckResult(octokit, target, forged);
    expect(outcome.merged).toBe(false);
    expect(gh.calls.some((c) => c.path.endsWith('/merge'))).toBe(false);
    expect(gh.repos.get('reg/registry')!.issues[0]!.labels).toContain('needs-review');
  });
});
