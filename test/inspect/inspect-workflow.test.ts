/**
 * The weekly inspection workflow's split of trust (docs/inspection.md, docs/security.md): the job
 * that talks to strangers' servers holds no secrets and cannot write; the job that can write never
 * inspects (nor fetches READMEs) and commits only registry/inspections/ and registry/readmes/, each
 * file re-read through its schema check. The house rules for every workflow are in
 * test/github/workflows.test.ts; these are the ones particular to this one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});
const doc = rec(parseDocument(readFileSync(new URL('../../.github/workflows/inspect.yml', import.meta.url), 'utf8')).toJS());
const jobs = rec(doc.jobs);
const runs = (job: string): string[] => (rec(jobs[job]).steps as Rec[]).flatMap((s) => (typeof s.run === 'string' ? [s.run] : []));

describe('.github/workflows/inspect.yml', () => {
  it('runs weekly and by hand, one run at a time, never cancelling one half-way', () => {
    const on = rec(doc.on);
    expect(on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \d$/) }]);
    expect('workflow_dispatch' in on).toBe(true);
    expect(rec(doc.concurrency)['cancel-in-progress']).toBe(false);
  });

  it('inspects in a job with read-only contents and no secrets, honouring the interval', () => {
    expect(rec(jobs.inspect).permissions).toEqual({ contents: 'read' });
    expect(JSON.stringify(jobs.inspect)).not.toMatch(/secrets\.|GITHUB_TOKEN|github\.token/);
    expect(runs('inspect').join('\n')).toMatch(/mcp-registry\.js inspect --scheduled(?! --allow-private-network)/);
  });

  it('fetches READMEs in the same unprivileged job, and a failed fetch does not lose the inspections', () => {
    const steps = rec(jobs.inspect).steps as Rec[];
    const at = (re: RegExp) => steps.findIndex((s) => typeof s.run === 'string' && re.test(s.run));
    const readme = at(/mcp-registry\.js readme(?! --max-age 0)/);
    expect(readme).toBeGreaterThan(at(/mcp-registry\.js inspect/));
    expect(String(steps[readme]?.run)).toMatch(/\|\| status=\$\?/);
    expect(String(steps[readme]?.run)).not.toMatch(/exit "\$status"/);
    // Both folders travel in the one artifact the proposing job takes.
    const upload = steps.find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(rec(upload?.with).name).toBe('state');
    expect(runs('inspect').join('\n')).toMatch(/cp -R registry\/inspections registry\/readmes/);
  });

  it('uploads an artifact even in a week with no state files, so the proposing job can download it', () => {
    const steps = rec(jobs.inspect).steps as Rec[];
    const gather = steps.find((s) => typeof s.run === 'string' && s.run.includes('cp -R registry/inspections'));
    const upload = steps.find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(rec(upload?.with)['if-no-files-found']).toBe('error');
    // Run the gather step for real in a checkout with neither folder: the artifact folder still holds a file.
    const work = mkdtempSync(join(tmpdir(), 'inspect-gather-'));
    try {
      execFileSync('bash', ['-e', '-c', String(gather?.run)], { cwd: work, env: { ...process.env, RUNNER_TEMP: join(work, 'tmp') } });
      const files = readdirSync(join(work, 'tmp/state'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('proposes from a job that never inspects and stages only registry/inspections/ and registry/readmes/', () => {
    expect(rec(jobs.propose).needs).toBe('inspect');
    const text = runs('propose').join('\n');
    expect(text).not.toMatch(/mcp-registry\.js (inspect|readme)/);
    expect(text).toMatch(/\['registry\/inspections\/\*\*\/\*\.json', parseInspection\]/);
    expect(text).toMatch(/\['registry\/readmes\/\*\*\/\*\.json', parseReadmeFile\]/);
    expect([...text.matchAll(/git add ([^\n]+)/g)].map((m) => m[1])).toEqual(['registry/inspections registry/readmes']);
    // A pull request, never a push to the default branch: a maintainer merges it.
    expect(text).toMatch(/HEAD:refs\/heads\/inspect\/weekly/);
    expect(text).toMatch(/gh pr create/);
    expect(text).not.toMatch(/gh pr merge/);
  });
});
