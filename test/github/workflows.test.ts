/** Workflow files are code too: parsed and held to the house rules on every `npm test`. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

const dir = new URL('../../.github/workflows/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});

function load(file: string): { text: string; doc: Rec } {
  const text = readFileSync(new URL(file, dir), 'utf8');
  const parsed = parseDocument(text, { uniqueKeys: true });
  expect(parsed.errors.map((e) => e.message)).toEqual([]);
  return { text, doc: rec(parsed.toJS()) };
}

function steps(doc: Rec): [string, Rec][] {
  return Object.entries(rec(doc.jobs)).flatMap(([job, j]) =>
    (Array.isArray(rec(j).steps) ? (rec(j).steps as unknown[]) : []).map((s): [string, Rec] => [job, rec(s)]),
  );
}

/** Problems in one workflow file, as readable strings (so a failure says what to fix). */
function workflowProblems(file: string, text: string, doc: Rec): string[] {
  const out: string[] = [];
  if (!('on' in doc)) out.push(`${file}: no 'on' trigger`);
  if (JSON.stringify(rec(doc.on)).includes('pull_request_target') || doc.on === 'pull_request_target')
    out.push(`${file}: pull_request_target runs with secrets next to PR code; use pull_request + workflow_run`);
  if (!('permissions' in doc) || JSON.stringify(doc.permissions) !== '{}') out.push(`${file}: top-level 'permissions: {}' missing`);
  const jobs = rec(doc.jobs);
  if (Object.keys(jobs).length === 0) out.push(`${file}: no jobs`);
  for (const [name, j] of Object.entries(jobs)) {
    const job = rec(j);
    if (!('runs-on' in job)) out.push(`${file}: job ${name} has no runs-on`);
    if (!('permissions' in job)) out.push(`${file}: job ${name} has no permissions`);
    if (typeof job['timeout-minutes'] !== 'number') out.push(`${file}: job ${name} has no timeout-minutes`);
    if (!Array.isArray(job.steps) || job.steps.length === 0) out.push(`${file}: job ${name} has no steps`);
    const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs : [];
    for (const n of needs) if (!(String(n) in jobs)) out.push(`${file}: job ${name} needs unknown job ${String(n)}`);
    const ids = new Set((Array.isArray(job.steps) ? job.steps : []).map((st) => rec(st).id).filter((id) => typeof id === 'string'));
    for (const m of JSON.stringify(job).matchAll(/steps\.([A-Za-z0-9_-]+)\./g)) {
      if (!ids.has(m[1]!)) out.push(`${file}: job ${name} refers to unknown step id ${m[1]}`);
    }
  }
  for (const [job, step] of steps(doc)) {
    const kinds = ['uses', 'run'].filter((k) => k in step);
    if (kinds.length !== 1) out.push(`${file}: a step in ${job} needs exactly one of uses/run`);
    if (typeof step.run === 'string' && step.run.includes('${{'))
      out.push(`${file}: ${job} interpolates \${{ }} into run: (${step.run.split('\n')[0]}); pass it through env:`);
    if (typeof step.uses === 'string') {
      if (!/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(step.uses)) out.push(`${file}: ${step.uses} is not pinned to a commit SHA`);
      if (step.uses.startsWith('actions/checkout@') && rec(step.with)['persist-credentials'] !== false)
        out.push(`${file}: checkout in ${job} must set persist-credentials: false`);
    }
  }
  for (const line of text.split('\n')) {
    const m = /^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/.exec(line);
    if (m && !/#\s*v\d+(\.\d+)*\s*$/.test(m[2]!)) out.push(`${file}: '${m[1]}' needs a '# vX.Y.Z' comment naming the pinned release`);
  }
  return out;
}

describe('GitHub workflows', () => {
  it('exist', () => {
    expect(files).toEqual(expect.arrayContaining(['deploy.yml', 'pr-check.yml', 'pr-report.yml', 'reverify.yml']));
  });

  for (const file of files) {
    it(`${file} parses and follows the rules (pinned actions, least privilege, no interpolation into shells)`, () => {
      const { text, doc } = load(file);
      expect(workflowProblems(file, text, doc)).toEqual([]);
    });
  }

  it('the PR check itself runs with read-only contents and no secrets', () => {
    const { doc } = load('pr-check.yml');
    expect(rec(rec(rec(doc.jobs).check).permissions)).toEqual({ contents: 'read', 'pull-requests': 'read' });
    expect(JSON.stringify(doc)).not.toMatch(/secrets\./);
  });

  it('the PR check runs again for the safe-to-verify label only, and such a label run cancels no check', () => {
    const { doc } = load('pr-check.yml');
    const condition = String(rec(rec(doc.jobs).check).if);
    expect(condition).toBe(
      "(github.event.action != 'labeled' || github.event.label.name == 'safe-to-verify') && (github.event_name != 'pull_request_review' || github.event.review.user.type != 'Bot')",
    );
    expect(String(rec(doc.concurrency).group)).toMatch(/github\.event\.label\.name != 'safe-to-verify' && format\('-label-\{0\}', github\.run_id\)/);
    expect(String(rec(rec(load('pr-report.yml').doc.jobs).report).if)).toMatch(/conclusion != 'skipped'/);
  });

  it('a review runs the check again (a transfer’s consent), and its result is reported like a push’s', () => {
    const { doc } = load('pr-check.yml');
    expect(rec(rec(doc.on).pull_request_review).types).toEqual(['submitted', 'dismissed']);
    expect(String(rec(rec(load('pr-report.yml').doc.jobs).report).if)).toContain("github.event.workflow_run.event == 'pull_request_review'");
  });

  it('the reporting workflow never checks out the pull request', () => {
    const { doc } = load('pr-report.yml');
    for (const [, step] of steps(doc)) expect(JSON.stringify(rec(step.with))).not.toMatch(/head|pull_request/);
  });
});

describe('the workflow rules catch what they claim to', () => {
  const bad = `on: {pull_request_target: {}}
jobs:
  x:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.event.pull_request.title }}"
  y:
    needs: [nope]
    if: steps.missing.outcome == 'success'
    runs-on: ubuntu-24.04
    permissions: {}
    timeout-minutes: 5
    steps:
      - run: echo ok
`;
  const problems = workflowProblems('bad.yml', bad, rec(parseDocument(bad).toJS()));
  it.each([
    ['pull_request_target', /pull_request_target/],
    ['missing top-level permissions', /top-level 'permissions: \{\}'/],
    ['missing job permissions', /job x has no permissions/],
    ['missing timeout', /timeout-minutes/],
    ['an unpinned action', /not pinned to a commit SHA/],
    ['a missing version comment', /needs a '# vX.Y.Z' comment/],
    ['checkout keeping credentials', /persist-credentials/],
    ['interpolation into run', /interpolates/],
    ['a need of a job that does not exist', /needs unknown job nope/],
    ['a reference to a step id that does not exist', /unknown step id missing/],
  ])('flags %s', (_name, pattern) => {
    expect(problems.some((p) => pattern.test(p))).toBe(true);
  });
});
