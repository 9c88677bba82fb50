/**
 * `mcp-registry readme` (the stage's edge): for each server's newest live version under
 * servers/, ask its README sources in order (readme-sources.ts) and record the first README in
 * registry/readmes/. A README fetched for the same version within `maxAgeDays` is kept without a
 * request; one whose text has not changed keeps its file (and its fetchedAt) as it was.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareVersions } from '../catalog/version-order.ts';
import type { Endpoints } from '../config/registry-config.ts';
import type { ServerJson } from '../core/api-types.ts';
import { fileReport, warning } from '../core/diagnostics.ts';
import type { FileReport } from '../core/diagnostics.ts';
import { statePath } from '../core/registry-state.ts';
import { writeFileAtomically } from '../files/atomic-file.ts';
import { mapConcurrent, readServersTree } from '../load/servers-tree.ts';
import type { HttpClient } from '../net/http-client.ts';
import { parseStatusState } from '../state/state-files.ts';
import type { ReadmeCode } from './codes.ts';
import { capReadme, parseReadmeFile, readmePath, serialiseReadmeFile } from './readme-file.ts';
import type { ReadmeFile } from './readme-file.ts';
import { readmeRequests } from './readme-sources.ts';

export const DEFAULT_README_MAX_AGE_DAYS = 7;

export interface ReadmeRunOptions {
  root: string;
  endpoints: Endpoints;
  http: HttpClient;
  now: Date;
  /** Server names (any case) to fetch; every server when absent. */
  names?: readonly string[];
  maxAgeDays?: number;
  concurrency?: number;
}

export interface ReadmeRunResult {
  reports: FileReport[];
  written: number;
  kept: number;
  missing: number;
  requests: number;
}

/** Each server's newest version that registry/status/ does not mark deleted. */
async function newestVersions(root: string): Promise<ServerJson[]> {
  const byName = new Map<string, ServerJson[]>();
  for (const file of await readServersTree(root)) {
    const value = file.value;
    if (!value || typeof value.name !== 'string' || typeof value.version !== 'string' || !value.name.includes('/')) continue;
    const lower = value.name.toLowerCase();
    byName.set(lower, [...(byName.get(lower) ?? []), value as unknown as ServerJson]);
  }
  const out: ServerJson[] = [];
  for (const versions of byName.values()) {
    const name = (versions[0] as ServerJson).name;
    const status = await readFile(join(root, statePath('status', name)), 'utf8').then(
      (text) => parseStatusState(text).value?.versions ?? {},
      () => ({}) as Record<string, { status: string }>,
    );
    const live = versions.filter((v) => (status as Record<string, { status?: string }>)[v.version]?.status !== 'deleted');
    const newest = live.sort((a, b) => compareVersions({ version: b.version, publishedAt: '' }, { version: a.version, publishedAt: '' }))[0];
    if (newest) out.push(newest);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function previous(root: string, name: string): Promise<ReadmeFile | undefined> {
  try {
    return parseReadmeFile(await readFile(join(root, readmePath(name)), 'utf8'), readmePath(name)).value;
  } catch {
    return undefined;
  }
}

export async function runReadme(options: ReadmeRunOptions): Promise<ReadmeRunResult> {
  const { root, endpoints, http, now } = options;
  const maxAgeMs = (options.maxAgeDays ?? DEFAULT_README_MAX_AGE_DAYS) * 86_400_000;
  const wanted = options.names ? new Set(options.names.map((n) => n.toLowerCase())) : undefined;
  const servers = (await newestVersions(root)).filter((s) => !wanted || wanted.has(s.name.toLowerCase()));
  const result: ReadmeRunResult = { reports: [], written: 0, kept: 0, missing: 0, requests: 0 };
  await mapConcurrent(servers, options.concurrency ?? 4, async (server) => {
    const path = readmePath(server.name);
    const before = await previous(root, server.name);
    if (before && before.version === server.version && now.getTime() - Date.parse(before.fetchedAt) < maxAgeMs) {
      result.kept += 1;
      return;
    }
    const failures: string[] = [];
    for (const request of readmeRequests(server, endpoints)) {
      result.requests += 1;
      const answer = await http.send({ url: request.url, headers: request.headers, maxBytes: 4 * 1024 * 1024 });
      if (!answer.ok) {
        failures.push(answer.failure.message);
        continue;
      }
      if (answer.response.status !== 200) continue;
      const markdown = request.read(answer.response.body.toString('utf8'));
      if (markdown === undefined) continue;
      const capped = capReadme(markdown);
      if (before && before.version === server.version && before.from === request.from && before.text === capped.text) {
        result.kept += 1;
        return;
      }
      const file: ReadmeFile = {
        schemaVersion: 1,
        name: server.name,
        version: server.version,
        from: request.from,
        source: request.source,
        fetchedAt: now.toISOString(),
        format: 'markdown',
        text: capped.text,
        ...(capped.truncated ? { truncated: true } : {}),
      };
      await writeFileAtomically(join(root, path), serialiseReadmeFile(file));
      result.written += 1;
      return;
    }
    result.missing += 1;
    const code: ReadmeCode = failures.length > 0 ? 'readme/unreachable' : 'readme/not-found';
    const message =
      failures.length > 0
        ? `${server.name} ${server.version}: no README could be fetched (${failures.join('; ')}); a README recorded before is kept`
        : `${server.name} ${server.version}: neither its packages nor its GitHub repository have a README${before ? '; the one recorded before is kept' : ''}`;
    result.reports.push(fileReport(path, [warning(code, message)]));
  });
  result.reports.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}
