/**
 * Starts Debian's real `docker-registry` (distribution) on 127.0.0.1 with storage in a temp dir,
 * and pushes images to it over the plain distribution API (blobs, then manifests).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string };
}

export interface StartedOciRegistry {
  origin: string;
  /** Pushes an image whose config carries `labels`; returns the manifest's descriptor. */
  pushImage(repository: string, tag: string, labels: Record<string, string> | undefined, arch?: string): Promise<Descriptor>;
  /** Pushes a multi-arch index over already pushed manifests. */
  pushIndex(repository: string, tag: string, manifests: Descriptor[]): Promise<Descriptor>;
  close(): Promise<void>;
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitUntilUp(origin: string, child: ChildProcess): Promise<void> {
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (spawnError) {
      throw new Error(`cannot start docker-registry (${spawnError.message}); install Debian's docker-registry package (.ci/run does)`);
    }
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/v2/`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('docker-registry did not start within 20 s');
}

export async function startOciRegistry(): Promise<StartedOciRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'oci-registry-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log: { level: error }',
      'storage:',
      `  filesystem: { rootdirectory: ${join(dir, 'data')} }`,
      '  delete: { enabled: true }',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  try {
    await waitUntilUp(origin, child);
  } catch (error) {
    child.kill();
    throw error;
  }

  async function pushBlob(repository: string, content: Buffer): Promise<string> {
    const digest = sha(content);
    const start = await fetch(`${origin}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(start.headers.get('location')!, origin);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', body: new Uint8Array(content), headers: { 'content-type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`blob upload → ${put.status}: ${await put.text()}`);
    return digest;
  }

  async function pushManifest(repository: string, tag: string, mediaType: string, body: Buffer): Promise<void> {
    const res = await fetch(`${origin}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      body: new Uint8Array(body),
      headers: { 'content-type': mediaType },
    });
    if (res.status !== 201) throw new Error(`manifest upload → ${res.status}: ${await res.text()}`);
  }

  return {
    origin,
    async pushImage(repository, tag, labels, arch = 'amd64') {
      const layer = Buffer.from(`layer for ${repository}:${tag}:${arch}`);
      const layerDigest = await pushBlob(repository, layer);
      const configBlob = Buffer.from(
        JSON.stringify({
          architecture: arch,
          os: 'linux',
          config: labels ? { Labels: labels } : {},
          rootfs: { type: 'layers', diff_ids: [layerDigest] },
        }),
      );
      const configDigest = await pushBlob(repository, configBlob);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configBlob.length },
          layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
        }),
      );
      await pushManifest(repository, tag, OCI_MANIFEST, manifest);
      return { mediaType: OCI_MANIFEST, digest: sha(manifest), size: manifest.length, platform: { os: 'linux', architecture: arch } };
    },
    async pushIndex(repository, tag, manifests) {
      const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
      await pushManifest(repository, tag, OCI_INDEX, index);
      return { mediaType: OCI_INDEX, digest: sha(index), size: index.length };
    },
    async close() {
      child.kill();
      await new Promise((r) => child.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
