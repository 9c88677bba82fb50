/**
 * `npm run bench -- verify`: verifying a pull request that adds 50 versions with 3 packages each
 * (npm on a real Verdaccio, OCI on Debian's docker-registry, PyPI on a local JSON API), every
 * service behind a proxy that adds 50 ms to each answer. Target: under 5 s wall time.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, withEndpointOverrides } from '../scripts/config/registry-config.ts';
import { OCI_NAME_LABEL } from '../scripts/verify/packages/oci.ts';
import { createVerifyServices } from '../scripts/verify/verify-services.ts';
import { verifyTree } from '../scripts/verify/verify-tree.ts';
import { startOciRegistry } from '../test/helpers/oci-registry.ts';
import { startVerdaccio } from '../test/helpers/verdaccio.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

const VERSIONS = 50;
const LATENCY_MS = 50;
const TARGET_MS = 5000;
const RUNS = 3;

/** A proxy that waits LATENCY_MS before forwarding, or answers itself when `answer` returns a body. */
async function delayed(upstream: string | undefined, answer?: (url: string) => string | undefined) {
  const server = createServer((req, res) => {
    setTimeout(() => {
      const own = answer?.(req.url ?? '/');
      if (own !== undefined || !upstream) {
        res.writeHead(own === undefined ? 404 : 200, { 'content-type': 'application/json' });
        return void res.end(own ?? '{}');
      }
      const headers = { ...req.headers };
      delete headers.host;
      const up = httpRequest(`${upstream}${req.url}`, { method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => {
        res.statusCode = 502;
        res.end();
      });
      req.pipe(up);
    }, LATENCY_MS);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const names = Array.from({ length: VERSIONS }, (_, i) => `io.github.acme/server-${String(i).padStart(2, '0')}`);

process.stdout.write('starting Verdaccio and docker-registry, publishing 50 npm packages and 50 images…\n');
const npm = await startVerdaccio();
const oci = await startOciRegistry();
const root = await mkdtemp(join(tmpdir(), 'bench-verify-'));
const closers: (() => unknown)[] = [];
try {
  await mapLimit(names, 4, (name) => npm.publish({ name: `@acme/${name.split('/')[1]}`, version: '1.0.0', mcpName: name }));
  await mapLimit(names, 4, async (name) => void (await oci.pushImage(`acme/${name.split('/')[1]}`, '1.0.0', { [OCI_NAME_LABEL]: name })));

  const npmProxy = await delayed(npm.origin);
  const ociProxy = await delayed(oci.origin);
  const pypiProxy = await delayed(undefined, (url) => {
    const m = /^\/pypi\/acme-(server-\d+)\/1\.0\.0\/json$/.exec(url);
    return m ? JSON.stringify({ info: { description: `# ${m[1]}\n\nmcp-name: io.github.acme/${m[1]}\n` } }) : undefined;
  });
  closers.push(npmProxy.close, ociProxy.close, pypiProxy.close);

  for (const name of names) {
    const short = name.split('/')[1]!;
    const dir = join(root, 'servers', 'io.github.acme', short);
    await mkdir(dir, { recursive: true });
    const server = {
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name,
      description: `Benchmark server ${short}.`,
      version: '1.0.0',
      packages: [
        { registryType: 'npm', identifier: `@acme/${short}`, version: '1.0.0', transport: { type: 'stdio' } },
        { registryType: 'pypi', identifier: `acme-${short}`, version: '1.0.0', transport: { type: 'stdio' } },
        { registryType: 'oci', identifier: `docker.io/acme/${short}:1.0.0`, transport: { type: 'stdio' } },
      ],
    };
    await writeFile(join(dir, '1.0.0.json'), `${JSON.stringify(server, null, 2)}\n`);
  }

  const config = withEndpointOverrides(DEFAULT_CONFIG, [`npm=${npmProxy.origin}`, `pypi=${pypiProxy.origin}`, `oci=${ociProxy.origin}`]);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const services = createVerifyServices(config, { author: 'acme' });
    const started = performance.now();
    const report = await verifyTree(root, config, undefined, services);
    times.push(performance.now() - started);
    await services.close();
    if (!report.ok || report.files.length !== VERSIONS) {
      throw new Error(`the benchmark registry did not verify: ${JSON.stringify(report.files.find((f) => !f.ok))}`);
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(RUNS / 2)]!;
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(`verify ${VERSIONS} versions × 3 packages: median ${fmt(median)} (runs: ${times.map(fmt).join(', ')})\n`);
  writeBenchmarkSection(
    'Verification',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.

| what | result | target |
| --- | --- | --- |
| verify a PR adding ${VERSIONS} versions × 3 packages (npm, PyPI, OCI), ${LATENCY_MS} ms added latency, no cache, median of ${RUNS} | ${fmt(median)} (best ${fmt(sorted[0]!)}) | < ${TARGET_MS / 1000} s |

npm is a real Verdaccio, OCI Debian's docker-registry (manifest + config blob per image), PyPI a local
JSON API; each sits behind a proxy that delays every answer by ${LATENCY_MS} ms. Validation is included;
the proof cache is off, so every package is asked. Run it with \`npm run bench -- verify\`.`,
  );
} finally {
  for (const close of closers) close();
  await npm.close();
  await oci.close();
  await rm(root, { recursive: true, force: true });
}
