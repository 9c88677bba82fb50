/**
 * A one-file pull request against a generated registry (bench/scale.ts): a new version of an npm server, its
 * package published to a real Verdaccio on 127.0.0.1 with the server's mcpName, committed on a branch and
 * checked with `mcp-registry pr-check run --verify yes` as the workflow runs it (validate, verify against the
 * stand-in, decide). The caller times the command; `finish` reads the result and puts the repository back.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StartedVerdaccio } from '../../test/helpers/verdaccio.ts';
import type { VersionFile } from './official-shape.ts';

const PAYLOAD = new URL('../../test/fixtures/github/pull_request.opened.json', import.meta.url);

function git(root: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

export interface PreparedPr {
  /** Arguments after the CLI: `pr-check run …`. */
  args: string[];
  /** The added file. */
  path: string;
  /** Reads the result (throws unless the check passed and verify ran) and deletes the branch. */
  finish: () => { ok: boolean; autoMerge: boolean; files: number };
}

export async function preparePr(root: string, files: readonly VersionFile[], npm: StartedVerdaccio, scratch: string): Promise<PreparedPr> {
  const template = files.find((f) => f.text.includes('"registryType": "npm"'));
  if (template === undefined) throw new Error('no npm server in the generated registry');
  const doc = JSON.parse(template.text) as { name: string; version: string; packages: { identifier: string; version: string }[] };
  const version = '99.0.0';
  const pkg = doc.packages[0];
  if (pkg === undefined) throw new Error('npm server without a package');
  doc.version = version;
  pkg.version = version;
  await npm.publish({ name: pkg.identifier, version, mcpName: doc.name });
  const path = `servers/${doc.name}/${version}.json`;
  const base = git(root, ['rev-parse', 'HEAD']);
  git(root, ['checkout', '-q', '-b', 'bench-pr']);
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), `${JSON.stringify(doc, null, 2)}\n`);
  git(root, ['add', '--', path]);
  git(root, ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', `publish ${doc.name} ${version}`]);
  const head = git(root, ['rev-parse', 'HEAD']);
  const login = doc.name.slice('io.github.'.length, doc.name.indexOf('/'));
  const payload = JSON.parse(readFileSync(PAYLOAD, 'utf8'));
  payload.pull_request.user.login = login;
  payload.sender.login = login;
  payload.pull_request.head.sha = head;
  payload.pull_request.base.sha = base;
  mkdirSync(scratch, { recursive: true });
  const event = join(scratch, 'event.json');
  const out = join(scratch, 'pr-check-result.json');
  writeFileSync(event, JSON.stringify(payload));
  return {
    path,
    args: ['pr-check', 'run', '--event', event, '--repo', root, '--verify', 'yes', '--endpoint', `npm=${npm.origin}`, '--out', out],
    finish() {
      git(root, ['checkout', '-q', '-f', 'main']);
      git(root, ['branch', '-q', '-D', 'bench-pr']);
      const result = JSON.parse(readFileSync(out, 'utf8')) as { ok: boolean; autoMerge: boolean; files: { path: string; diagnostics: unknown[] }[] };
      rmSync(scratch, { recursive: true, force: true });
      if (!result.ok || !result.autoMerge) throw new Error(`the benchmark's PR did not pass its check: ${JSON.stringify(result).slice(0, 3000)}`);
      return { ok: result.ok, autoMerge: result.autoMerge, files: result.files.length };
    },
  };
}
