import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { serializeSignatureFile, signVersionFile } from '../../scripts/sign/signature-file.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { StartedDnsServer } from '../helpers/dns-server.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';
import { startVerdaccio } from '../helpers/verdaccio.ts';
import type { StartedVerdaccio } from '../helpers/verdaccio.ts';

const fixtures = fileURLToPath(new URL('../fixtures/verify/', import.meta.url));
const key = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

let root: string;
let npm: StartedVerdaccio;
let dns: StartedDnsServer;
let github: StartedHttpServer;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: root,
    env: {},
  });
  return { code, stdout, stderr };
}

function endpoints(npmOrigin = npm.origin): string[] {
  return ['--endpoint', `npm=${npmOrigin}`, '--endpoint', `dns=${dns.endpoint}`, '--endpoint', `github=${github.origin}`];
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'verify-command-'));
  await cp(fixtures, root, { recursive: true });
  await writeFile(join(root, 'key.pem'), key);
  npm = await startVerdaccio();
  await npm.publish({ name: '@acme/weather', version: '1.0.0', mcpName: 'io.github.acme/weather' });
  await npm.publish({ name: 'plain-weather', version: '2.0.0' });
  github = await startHttpServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/users/acme') return void res.end('{"login":"acme","type":"Organization"}');
    res.statusCode = 404;
    res.end('{"message":"Not Found"}');
  });
  const record = (await cli(['sign', '--print-record', '--key-file', 'key.pem'])).stdout.trim();
  dns = await startDnsServer({ txt: { 'example.com': [[record]] }, a: { 'mcp.example.com': ['93.184.215.14'] } });
}, 60_000);

afterAll(async () => {
  await npm?.close();
  await dns?.close();
  await github?.close();
  await rm(root, { recursive: true, force: true });
});

describe('mcp-registry sign and verify', () => {
  it('writes a signature file beside the version file', async () => {
    const result = await cli(['sign', 'servers/com.example/tools/1.0.0.json', '--key-file', 'key.pem']);
    expect(result.code).toBe(0);
    expect(await readdir(join(root, 'servers/com.example/tools'))).toContain('1.0.0.json.sig');
  });

  it('proves a GitHub server with an npm package and a signed domain server', async () => {
    await cli(['sign', 'servers/com.example/tools/1.0.0.json', '--key-file', 'key.pem']);
    const result = await cli([
      'verify',
      'servers/io.github.acme/weather',
      'servers/com.example',
      '--author',
      'acme',
      '--format',
      'json',
      '--no-cache',
      ...endpoints(),
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
    expect(result.code).toBe(0);
  });

  it('reports a package without mcpName with the line of the package', async () => {
    const result = await cli(['verify', 'servers/io.github.acme/plain', '--author', 'acme', '--format', 'json', ...endpoints()]);
    expect(result.code).toBe(1);
    const diagnostic = JSON.parse(result.stdout).files[0].diagnostics[0];
    expect(diagnostic).toMatchObject({ code: 'verify/npm-mcpname-missing', pointer: '/packages/0/identifier', line: 9 });
  });

  it('skips packages proven by an earlier run', async () => {
    let asked = 0;
    const counting = await startHttpServer((req, res) => {
      asked += 1;
      const upstream = httpRequest(`${npm.origin}${req.url}`, { headers: { accept: 'application/json' } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.end();
    });
    try {
      const first = await cli(['verify', 'servers/io.github.acme/weather', '--author', 'acme', ...endpoints(counting.origin)]);
      const again = await cli(['verify', 'servers/io.github.acme/weather', '--author', 'acme', ...endpoints(counting.origin)]);
      expect([first.code, again.code]).toEqual([0, 0]);
      expect(asked).toBe(1);
    } finally {
      await counting.close();
    }
  });

  it('exits 2 when a service cannot be reached and nothing else failed', async () => {
    const result = await cli(['verify', 'servers/io.github.acme/weather', '--author', 'acme', '--no-cache', ...endpoints('http://127.0.0.1:9')]);
    expect(result.stdout).toMatch(/verify\/service-unreachable: npm package @acme\/weather: GET http:\/\/127\.0\.0\.1:9\//);
    expect(result.code).toBe(2);
  });

  it('refuses a GitHub namespace claimed by someone else', async () => {
    const result = await cli(['verify', 'servers/io.github.acme/weather', '--author', 'mallory', ...endpoints()]);
    expect(result.stdout).toMatch(/verify\/github-not-org-owner/);
    expect(result.code).toBe(1);
  });

  it("verifies an author's server.json outside servers/", async () => {
    await cp(join(root, 'servers/io.github.acme/plain/2.0.0.json'), join(root, 'server.json'));
    const result = await cli(['verify', 'server.json', '--author', 'acme', ...endpoints()]);
    expect(result.stdout).toMatch(/^server\.json:9:\d+ error verify\/npm-mcpname-missing/m);
    expect(result.code).toBe(1);
  });

  it('--published accepts an old domain signature while the domain still publishes its key', async () => {
    const file = join(root, 'servers/com.example/tools/1.0.0.json');
    const bytes = await readFile(file);
    const old = signVersionFile(createPrivateKey(key), { bytes, name: 'com.example/tools', version: '1.0.0', now: new Date(Date.now() - 90 * 86_400_000) });
    if (!old.ok) throw new Error(old.error);
    await writeFile(`${file}.sig`, serializeSignatureFile(old.value));
    const fresh = await cli(['verify', 'servers/com.example', ...endpoints()]);
    const published = await cli(['verify', 'servers/com.example', '--published', ...endpoints()]);
    expect(fresh.stdout).toMatch(/verify\/domain-signature-expired/);
    expect([fresh.code, published.code]).toEqual([1, 0]);
  });

  it('--published does not ask who owns a GitHub namespace', async () => {
    const result = await cli(['verify', 'servers/io.github.acme/weather', '--published', ...endpoints()]);
    expect(result.code).toBe(0);
  });

  it('reports a signature file that is a FIFO, a device or huge instead of hanging or crashing', async () => {
    const sig = join(root, 'servers/com.example/tools/1.0.0.json.sig');
    await rm(sig, { force: true });
    execFileSync('mkfifo', [sig]);
    const fifo = await cli(['verify', 'servers/com.example', ...endpoints()]);
    await rm(sig);
    await symlink('/dev/zero', sig);
    const device = await cli(['verify', 'servers/com.example', ...endpoints()]);
    await rm(sig);
    await writeFile(sig, '');
    await truncate(sig, 3 * 1024 ** 3);
    const huge = await cli(['verify', 'servers/com.example', ...endpoints()]);
    await rm(sig);
    expect([fifo.code, device.code, huge.code]).toEqual([1, 1, 1]);
    expect(fifo.stdout).toMatch(/verify\/domain-signature-invalid: .*1\.0\.0\.json\.sig: the signature file is not a regular file/);
    expect(device.stdout).toMatch(/verify\/domain-signature-invalid: .*not a regular file/);
    expect(huge.stdout).toMatch(/verify\/domain-signature-invalid: .*over 65536 bytes/);
  });

  it('exits 2 for an unknown endpoint type', async () => {
    const result = await cli(['verify', '--endpoint', 'ftp=x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--endpoint expects TYPE=URL/);
  });
});
