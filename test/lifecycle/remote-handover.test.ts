/**
 * Remote URL hand-over, end to end over a real git repository: a remote URL belongs to one active server at a
 * time. The PR check (validate run as the workflow runs it) refuses a claim on an active server's URL without
 * proof, accepts one once the holder deprecated the versions that list it, and shows a claim proven by a domain
 * namespace the URL's host is on; `build` agrees.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { runPrCheck } from '../../scripts/github/pr-check-run.ts';
import { readPullRequestEvent } from '../../scripts/github/pr-event.ts';
import { createCliRunner } from '../../scripts/github/run-checks.ts';
import { registryFindings } from '../../scripts/validate/registry-rules.ts';
import { API_EMITTERS } from '../fixtures/api/build-fixture.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';
import { startDnsServer, type StartedDnsServer } from '../helpers/dns-server.ts';
import { startHttpServer, type StartedHttpServer } from '../helpers/http-server.ts';
import { handoverFileUrl, handoverVerdict, parseHandoverFile } from '../../scripts/lifecycle/handover.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const URL_ = 'https://mcp.example.com/weather';
const remote = (url: string) => ({ remotes: [{ type: 'streamable-http', url }] });

let repo: TestRepo;
let base: string;

beforeEach(() => {
  repo = makeRepo();
  repo.write('servers/io.github.bob/weather/1.0.0.json', serverJson('io.github.bob/weather', '1.0.0', remote(URL_)));
  base = repo.commit('bob publishes');
  repo.run('checkout', '-q', '-b', 'pr');
});
afterEach(() => repo.cleanup());

async function lifecycle(...args: string[]): Promise<void> {
  let stderr = '';
  const code = await main([...args, '--now', '2026-03-01T10:00:00Z'], {
    stdout: () => {},
    stderr: (t) => {
      stderr += t;
    },
    cwd: repo.dir,
    env: {},
  });
  expect(code, stderr).toBe(0);
}

function check(head: string, author: string, network?: { endpoints: string[] }) {
  const parsed = readPullRequestEvent(payload);
  if (!parsed.ok) throw new Error(parsed.error);
  return runPrCheck({
    repo: repo.dir,
    base,
    head,
    event: { ...parsed.value, author, baseSha: base, headSha: head },
    maintainer: async () => ({ maintainer: false }),
    verify: network !== undefined,
    endpoints: network?.endpoints ?? [],
    maxFiles: 100,
    runCli: createCliRunner(),
  });
}

const diagnosticsOf = (result: Awaited<ReturnType<typeof check>>, path: string) => result.files.find((f) => f.path === path)?.diagnostics ?? [];

describe('a remote URL held by an active server', () => {
  it('refuses a claim without proof, naming the holder and how to release it', async () => {
    const path = 'servers/io.github.alice/weather/1.0.0.json';
    repo.write(path, serverJson('io.github.alice/weather', '1.0.0', remote(URL_)));
    const result = await check(repo.commit('alice lists bob’s URL'), 'alice');
    expect(result.ok).toBe(false);
    const [d] = diagnosticsOf(result, path);
    expect(d?.code).toBe('registry/remote-url-conflict');
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain('also listed by io.github.bob/weather, an active server');
    expect(d?.message).toContain('deprecate or delete');
  });

  it('is released once its holder deprecated the versions that list it: a new server may then list it', async () => {
    await lifecycle('deprecate', 'io.github.bob/weather', '--message', 'moved to io.github.alice/weather');
    base = repo.commit('bob deprecates');
    const path = 'servers/io.github.alice/weather/1.0.0.json';
    repo.write(path, serverJson('io.github.alice/weather', '1.0.0', remote(URL_)));
    const result = await check(repo.commit('alice takes the released URL'), 'alice');
    expect(diagnosticsOf(result, path)).toEqual([]);
    expect(result.ok).toBe(true);

    // The build agrees: the deprecated holder and the new server are both served.
    const built = await buildRegistry({ root: repo.dir, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
    expect(built.report.files.flatMap((f) => f.diagnostics.map((x) => x.code))).not.toContain('registry/remote-url-conflict');
    expect(built.report.ok).toBe(true);
  });

  it('shows a claim proven by a domain namespace the URL’s host is on, on both sides, as a warning', async () => {
    const path = 'servers/com.example/weather/1.0.0.json';
    repo.write(path, serverJson('com.example/weather', '1.0.0', remote(URL_)));
    const result = await check(repo.commit('example.com claims its own host'), 'alice');
    const [d] = diagnosticsOf(result, path);
    expect(d?.code).toBe('registry/remote-url-claimed');
    expect(d?.severity).toBe('warning');
    expect(d?.message).toContain('com.example/weather claims it with proof of control of mcp.example.com');
    expect(result.ok).toBe(true);
    // The PR check has not verified the domain key (verify did not run), so the bot does not merge it.
    expect(result.autoMerge).toBe(false);
  });
});

describe('a remote URL claimed by a domain namespace', () => {
  it('refuses a newcomer without proof that lists it, and an old holder’s new version that lists it again', async () => {
    repo.run('checkout', '-q', 'main');
    repo.write('servers/com.example/weather/1.0.0.json', serverJson('com.example/weather', '1.0.0', remote(URL_)));
    base = repo.commit('example.com claims its host');
    repo.run('checkout', '-q', '-B', 'pr');
    const path = 'servers/io.github.mallory/weather/1.0.0.json';
    repo.write(path, serverJson('io.github.mallory/weather', '1.0.0', remote(URL_)));
    const newcomer = await check(repo.commit('mallory lists example.com’s URL'), 'mallory');
    expect(newcomer.ok).toBe(false);
    const [d] = diagnosticsOf(newcomer, path);
    expect(d?.code).toBe('registry/remote-url-conflict');
    expect(d?.message).toContain('is claimed by com.example/weather, whose domain namespace proves control of mcp.example.com');

    repo.run('checkout', '-q', '-B', 'pr2', base);
    const again = 'servers/io.github.bob/weather/1.1.0.json';
    repo.write(again, serverJson('io.github.bob/weather', '1.1.0', remote(URL_)));
    const holder = await check(repo.commit('bob publishes the URL again'), 'bob');
    expect(diagnosticsOf(holder, again).map((x) => x.code)).toEqual(['registry/remote-url-conflict']);

    // The whole tree still builds: bob's 1.0.0, listed before the claim, is only warned.
    repo.run('checkout', '-q', 'main');
    const built = await buildRegistry({ root: repo.dir, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
    expect(built.report.ok).toBe(true);
    const bobs = built.report.files.find((f) => f.path === 'servers/io.github.bob/weather/1.0.0.json');
    expect(bobs?.diagnostics.map((x) => `${x.severity} ${x.code}`)).toEqual(['warning registry/remote-url-claimed']);
  });
});

describe('registryFindings and remote URLs', () => {
  const file = (name: string, version: string, url: string) => ({
    path: `servers/${name}/${version}.json`,
    value: JSON.parse(serverJson(name, version, remote(url))),
  });

  it('keeps the conflict when both holders or neither can prove the host, and between two versions of one server there is none', () => {
    const two = registryFindings([file('com.example/a', '1.0.0', URL_), file('com.example/b', '1.0.0', URL_)]);
    expect(two.get('servers/com.example/a/1.0.0.json')?.map((f) => f.code)).toEqual(['registry/remote-url-conflict']);
    const neither = registryFindings([file('io.github.x/a', '1.0.0', URL_), file('org.other/b', '1.0.0', URL_)]);
    expect(neither.get('servers/org.other/b/1.0.0.json')?.map((f) => f.code)).toEqual(['registry/remote-url-conflict']);
    expect(registryFindings([file('io.github.x/a', '1.0.0', URL_), file('io.github.x/a', '1.1.0', URL_)]).size).toBe(0);
  });

  it('tells the holder to hand the URL over to a proven claimant', () => {
    const out = registryFindings([file('io.github.x/a', '1.0.0', URL_), file('com.example.mcp/b', '1.0.0', URL_)]);
    const [holder] = out.get('servers/io.github.x/a/1.0.0.json') ?? [];
    expect(holder?.code).toBe('registry/remote-url-claimed');
    expect(holder?.message).toContain("deprecate or delete io.github.x/a's versions that list it to hand it over");
  });

  it('lets a released version’s URL be listed again', () => {
    const files = [file('io.github.x/a', '1.0.0', URL_), file('io.github.y/b', '1.0.0', URL_)];
    expect(registryFindings(files, { released: (name) => name === 'io.github.x/a' }).size).toBe(0);
    expect(registryFindings(files, { released: () => false }).size).toBe(2);
  });
});

describe('a hand-over proven by a well-known file on the URL’s host', () => {
  // mcp.example.com (served on 127.0.0.1) grants alice's server its remotes; other.example.com grants no one.
  let web: StartedHttpServer;
  let dns: StartedDnsServer;
  const served: string[] = [];
  beforeAll(async () => {
    web = await startHttpServer((req, res) => {
      served.push(`${req.headers.host}${req.url}`);
      if (req.headers.host === 'mcp.example.com' && req.url === '/.well-known/mcp-registry-remotes')
        return void res.end('# servers that may list remotes on mcp.example.com\nv=MCPv1; server=io.github.alice/weather\n');
      if (req.headers.host === 'other.example.com' && req.url === '/.well-known/mcp-registry-remotes')
        return void res.end('v=MCPv1; server=io.github.carol/x\n');
      res.statusCode = 404;
      res.end();
    });
    dns = await startDnsServer({ a: { 'mcp.example.com': ['93.184.215.14'], 'other.example.com': ['93.184.215.14'] } });
  });
  afterAll(async () => {
    await web?.close();
    await dns?.close();
  });
  const network = () => ({ endpoints: [`dns=${dns.endpoint}`, `http=${web.origin}`] });
  const STATUS = 'registry/status/io.github.bob/weather.yaml';
  const path = 'servers/io.github.alice/weather/1.0.0.json';

  async function claim(url: string): Promise<string> {
    repo.run('checkout', '-q', 'main');
    repo.write('servers/io.github.bob/weather/1.1.0.json', serverJson('io.github.bob/weather', '1.1.0', remote(url)));
    base = repo.commit('bob lists the URL');
    repo.run('checkout', '-q', '-B', 'pr');
    await lifecycle('deprecate', 'io.github.bob/weather', '--message', `the remote ${url} was handed over to io.github.alice/weather`);
    repo.write(path, serverJson('io.github.alice/weather', '1.0.0', remote(url)));
    return repo.commit('alice claims the URL and releases it from bob');
  }

  it('shows the conflict and the proof, and leaves the merge to a maintainer', async () => {
    served.length = 0;
    const result = await check(await claim(URL_), 'alice', network());
    expect(served).toContain('mcp.example.com/.well-known/mcp-registry-remotes');
    expect(diagnosticsOf(result, STATUS).filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnosticsOf(result, path).map((d) => d.code)).not.toContain('registry/remote-url-conflict');
    expect(result.autoMerge).toBe(false);
    const reason = result.reviewReasons.find((r) => r.startsWith('it hands over a remote URL'));
    expect(reason).toContain(`io.github.bob/weather 1.0.0, 1.1.0 list the remote ${URL_}, which io.github.alice/weather claims`);
    expect(reason).toContain('proof of control of the host: https://mcp.example.com/.well-known/mcp-registry-remotes names io.github.alice/weather');

    // Merged, the tree builds: bob's released versions no longer hold the URL, alice's holds it.
    const built = await buildRegistry({ root: repo.dir, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
    expect(built.report.files.flatMap((f) => f.diagnostics.map((x) => x.code))).not.toContain('registry/remote-url-conflict');
    expect(built.report.ok).toBe(true);
  }, 30_000);

  it('refuses the claim when the host’s file does not name the claimant, or there is none', async () => {
    const other = await check(await claim('https://other.example.com/mcp'), 'alice', network());
    expect(other.ok).toBe(false);
    const [d] = diagnosticsOf(other, STATUS).filter((x) => x.code === 'lifecycle/handover-without-proof');
    expect(d?.message).toContain('https://other.example.com/.well-known/mcp-registry-remotes names io.github.carol/x');
    expect(d?.message).toContain('publish the line `v=MCPv1; server=io.github.alice/weather`');

    const none = await check(await claim('https://mcp.example.com:8443/mcp'), 'alice', network());
    expect(diagnosticsOf(none, STATUS).map((x) => x.code)).toContain('lifecycle/handover-without-proof');
  }, 30_000);

  it('without the network checks explains the claim for a maintainer, and needs no proof from the holder’s owner', async () => {
    const head = await claim(URL_);
    const offline = await check(head, 'alice');
    expect(
      offline.reviewReasons.some((r) =>
        r.includes(
          'the network checks did not run, so a maintainer checks that https://mcp.example.com/.well-known/mcp-registry-remotes names io.github.alice/weather',
        ),
      ),
    ).toBe(true);
    expect(offline.autoMerge).toBe(false);
    // bob releasing his own URL is the ordinary deprecation: no hand-over to prove.
    const own = await check(head, 'bob');
    expect(own.reviewReasons.some((r) => r.includes('hands over'))).toBe(false);

    // Nor is one namespace moving its URL from one server to another (an organisation's Owner, say).
    repo.run('checkout', '-q', '-B', 'pr-own', base);
    await lifecycle('deprecate', 'io.github.bob/weather', '--message', 'moved to io.github.bob/forecast');
    repo.write('servers/io.github.bob/forecast/1.0.0.json', serverJson('io.github.bob/forecast', '1.0.0', remote(URL_)));
    const moved = await check(repo.commit('bob moves the URL to his other server'), 'alice');
    expect(moved.reviewReasons.some((r) => r.includes('hands over'))).toBe(false);
    expect(diagnosticsOf(moved, STATUS).map((d) => d.code)).not.toContain('lifecycle/handover-without-proof');
  }, 30_000);
});

describe('the well-known hand-over file', () => {
  it('is at the URL host’s /.well-known/mcp-registry-remotes and names servers one record a line', () => {
    expect(handoverFileUrl('https://API.Example.com:8443/mcp/{tenant}?x=1')).toBe('https://api.example.com:8443/.well-known/mcp-registry-remotes');
    expect(handoverFileUrl('http://api.example.com/mcp')).toBeUndefined();
    expect(
      parseHandoverFile('v=MCPv1; server=IO.github.Alice/weather\n# v=MCPv1; server=x.y/z\nv=MCPv1; k=ed25519; p=AAAA\n v=MCPv1;server=com.example/a;\n'),
    ).toEqual(['com.example/a', 'io.github.alice/weather']);
  });

  it('proves only the server it names', () => {
    const claim = { url: URL_, holder: 'io.github.bob/weather', versions: ['1.0.0'], claimant: 'io.github.alice/weather' };
    const url = 'https://mcp.example.com/.well-known/mcp-registry-remotes';
    expect(handoverVerdict(claim, { ok: true, url, servers: ['io.github.alice/weather'] }).diagnostics).toEqual([]);
    expect(handoverVerdict(claim, { ok: true, url, servers: [] }).diagnostics.map((d) => d.code)).toEqual(['lifecycle/handover-without-proof']);
    expect(handoverVerdict(claim, { ok: false, url, reason: `${url} answers 404` }).diagnostics[0]?.message).toContain('answers 404');
  });
});
