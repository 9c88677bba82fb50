/**
 * The weekly re-verify workflow records what passed (`verify --published --record`, registry/verified/) and
 * proposes it from a second job: the job that asks package registries cannot write to the repository, and the
 * job that can write never verifies, re-reads each record through its schema check and stages only
 * registry/verified/. The house rules for every workflow are in test/github/workflows.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});
const doc = rec(parseDocument(readFileSync(new URL('../../.github/workflows/reverify.yml', import.meta.url), 'utf8')).toJS());
const jobs = rec(doc.jobs);
const steps = (job: string): Rec[] => rec(jobs[job]).steps as Rec[];
const runs = (job: string): string[] => steps(job).flatMap((s) => (typeof s.run === 'string' ? [s.run] : []));

describe('.github/workflows/reverify.yml', () => {
  it('verifies and records in a job that cannot write to the repository, one run at a time', () => {
    expect(rec(doc.concurrency)['cancel-in-progress']).toBe(false);
    expect(rec(rec(jobs.reverify).permissions).contents).toBe('read');
    expect(runs('reverify').join('\n')).toMatch(/mcp-registry\.js verify --published --record --format json/);
    const upload = steps('reverify').find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(rec(upload?.with)).toMatchObject({ name: 'verified', path: 'registry/verified/' });
  });

  it('proposes from a job that never verifies, stages only schema-valid registry/verified/, and opens a pull request', () => {
    expect(rec(jobs.propose).needs).toBe('reverify');
    const text = runs('propose').join('\n');
    expect(text).not.toMatch(/mcp-registry\.js verify/);
    expect(text).toMatch(/parseVerifiedFile\(readFileSync\(path, 'utf8'\)\)\.diagnostics\.length === 0/);
    expect([...text.matchAll(/git add ([^\n]+)/g)].map((m) => m[1])).toEqual(['registry/verified']);
    expect(text).toMatch(/HEAD:refs\/heads\/reverify\/weekly/);
    expect(text).toMatch(/gh pr create/);
    expect(text).not.toMatch(/gh pr merge/);
  });
});
