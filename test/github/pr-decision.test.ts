import { describe, expect, it } from 'vitest';
import type { Diagnostic, Report } from '../../scripts/core/diagnostics.ts';
import type { ChangeSet, ClassifiedFile } from '../../scripts/github/classify-changes.ts';
import { COMMENT_MARKER, MAX_COMMENT_CHARS, renderComment } from '../../scripts/github/pr-comment.ts';
import { decidePr, type PrContext } from '../../scripts/github/pr-decision.ts';
import { isPrCheckResult, isReport } from '../../scripts/github/report-guard.ts';

const SHA = 'a'.repeat(40);
const ctx: PrContext = { number: 7, headSha: SHA, author: 'alice', maintainer: { maintainer: false }, baseRef: 'main', defaultBranch: 'main', verifyRan: true };
const maintainer: PrContext['maintainer'] = { maintainer: true, via: 'maintainers: alice' };
const P = 'servers/io.github.alice/weather/1.1.0.json';

function file(path: string, over: Partial<ClassifiedFile> = {}): ClassifiedFile {
  const m = /^servers\/([^/]+)\/([^/]+)\//.exec(path);
  return {
    path,
    kind: 'new-version',
    ...(m?.[1] !== undefined ? { namespace: m[1], serverName: `${m[1]}/${m[2]}` } : {}),
    checkContent: true,
    diagnostics: [],
    ...over,
  };
}
function ok(...paths: string[]): Report {
  return { ok: true, files: paths.map((path) => ({ path, ok: true, diagnostics: [] })) };
}
const err: Diagnostic = { code: 'name/format', severity: 'error', message: 'bad name', pointer: '/name', line: 2, column: 11 };
const set = (...files: ClassifiedFile[]): ChangeSet => ({ files, diagnostics: [] });

describe('PR decision', () => {
  it('auto-merges a valid, verified version in the author’s own namespace', () => {
    const r = decidePr(set(file(P)), { validate: ok(P), verify: ok(P), lifecycle: [] }, ctx);
    expect(r).toMatchObject({ ok: true, autoMerge: true, labels: ['new-version', 'verified'], reviewReasons: [] });
  });

  it('labels a new server new-server', () => {
    const r = decidePr(set(file(P, { kind: 'new-server' })), { validate: ok(P), verify: ok(P), lifecycle: [] }, ctx);
    expect(r.labels).toContain('new-server');
  });

  it('leaves a file in another owner’s io.github namespace to a human', () => {
    const other = 'servers/io.github.bob/maps/1.0.0.json';
    const r = decidePr(set(file(other)), { validate: ok(other), verify: ok(other), lifecycle: [] }, ctx);
    expect(r).toMatchObject({ ok: true, autoMerge: false });
    expect(r.labels).toContain('needs-review');
    expect(r.files[0]!.checks.ownership).toBe('pending');
  });

  it('marks verification pending on a fork PR without the maintainer label', () => {
    const r = decidePr(set(file(P)), { validate: ok(P), lifecycle: [] }, { ...ctx, verifyRan: false });
    expect(r.files[0]!.checks.verify).toBe('pending');
    expect(r.autoMerge).toBe(false);
    expect(r.labels).not.toContain('verified');
  });

  it('fails and labels invalid when validate reports an error', () => {
    const validate: Report = { ok: false, files: [{ path: P, ok: false, diagnostics: [err] }] };
    const r = decidePr(set(file(P)), { validate, verify: ok(P), lifecycle: [] }, ctx);
    expect(r).toMatchObject({ ok: false, autoMerge: false, labels: ['new-version', 'verified', 'invalid'] });
    expect(r.files[0]!.checks.validate).toBe('failed');
  });

  it('lists a finding once when verify repeats what validate found', () => {
    const report: Report = { ok: false, files: [{ path: P, ok: false, diagnostics: [err] }] };
    const r = decidePr(set(file(P)), { validate: report, verify: report, lifecycle: [] }, ctx);
    expect(r.files[0]!.diagnostics).toEqual([err]);
  });

  it('still fails verify on a finding of its own beside validation errors', () => {
    const own: Diagnostic = {
      code: 'verify/npm-mcpname-missing',
      severity: 'error',
      message: 'no mcpName',
      pointer: '/packages/0/identifier',
      line: 9,
      column: 5,
    };
    const validate: Report = { ok: false, files: [{ path: P, ok: false, diagnostics: [err] }] };
    const verify: Report = { ok: false, files: [{ path: P, ok: false, diagnostics: [err, own] }] };
    const r = decidePr(set(file(P)), { validate, verify, lifecycle: [] }, ctx);
    expect(r.files[0]!.checks.verify).toBe('failed');
    expect(r.files[0]!.diagnostics).toEqual([err, own]);
  });

  it('fails a file that a check did not report on rather than passing it', () => {
    const r = decidePr(set(file(P)), { validate: ok(), verify: ok(P), lifecycle: [] }, ctx);
    expect(r.files[0]!.diagnostics.map((d) => d.code)).toEqual(['pr/check-missing']);
    expect(r.ok).toBe(false);
  });

  it('lets a maintainer change a lifecycle file in any namespace', () => {
    const s = 'registry/status/com.example/tool.yaml';
    const f = file(s, { kind: 'lifecycle', namespace: 'com.example', serverName: 'com.example/tool' });
    const lifecycle = [{ path: s, ok: true, diagnostics: [] }];
    expect(decidePr(set(f), { lifecycle }, ctx).autoMerge).toBe(false);
    expect(decidePr(set(f), { lifecycle }, { ...ctx, maintainer }).autoMerge).toBe(true);
  });

  describe('a change to a maintainer’s decision', () => {
    const s = 'registry/status/io.github.alice/weather.yaml';
    const f = file(s, { kind: 'lifecycle', namespace: 'io.github.alice', serverName: 'io.github.alice/weather' });
    const lifecycle = [{ path: s, ok: true, diagnostics: [] }];
    const moderation = [{ path: s, overridden: ['version 1.0.0'], claimed: [] }];

    it('goes to a human when the namespace owner undoes a takedown', () => {
      const r = decidePr(set(f), { lifecycle, moderation }, ctx);
      expect(r).toMatchObject({ ok: true, autoMerge: false });
      expect(r.labels).toContain('needs-review');
      expect(r.reviewReasons.join('\n')).toMatch(/changes a maintainer's decision in registry\/status\/io\.github\.alice\/weather\.yaml \(version 1\.0\.0\)/);
      expect(r.files[0]!.diagnostics.map((d) => d.code)).toEqual(['lifecycle/maintainer-decision']);
    });

    it('goes to a human when a non-maintainer records a change as a maintainer’s', () => {
      const r = decidePr(set(f), { lifecycle, moderation: [{ path: s, overridden: [], claimed: ['version 1.0.0'] }] }, ctx);
      expect(r.autoMerge).toBe(false);
      expect(r.files[0]!.diagnostics.map((d) => d.code)).toEqual(['lifecycle/maintainer-claim']);
    });

    it('is merged when a maintainer makes it', () => {
      const r = decidePr(set(f), { lifecycle, moderation }, { ...ctx, maintainer });
      expect(r).toMatchObject({ autoMerge: true, reviewReasons: [] });
      expect(r.files[0]!.diagnostics).toEqual([]);
    });
  });

  it('does not take a failed team lookup for a maintainer, and says so', () => {
    const s = 'registry/status/com.example/tool.yaml';
    const f = file(s, { kind: 'lifecycle', namespace: 'com.example', serverName: 'com.example/tool' });
    const r = decidePr(
      set(f),
      { lifecycle: [{ path: s, ok: true, diagnostics: [] }] },
      { ...ctx, maintainer: { maintainer: false, unverified: 'team reg/maintainers: GET … → 500' } },
    );
    expect(r.autoMerge).toBe(false);
    expect(r.files[0]!.checks.ownership).toBe('pending');
    expect(r.reviewReasons.join('\n')).toMatch(/could not ask GitHub whether alice is a maintainer \(team reg\/maintainers: GET … → 500\)/);
  });

  it('never auto-merges a PR into a branch other than the default', () => {
    const r = decidePr(set(file(P)), { validate: ok(P), verify: ok(P), lifecycle: [] }, { ...ctx, baseRef: 'release' });
    expect(r).toMatchObject({ ok: true, autoMerge: false });
    expect(r.reviewReasons).toEqual(['it goes into release, not the default branch main; the bot merges only into the default branch']);
    expect(decidePr(set(file(P)), { validate: ok(P), verify: ok(P), lifecycle: [] }, { ...ctx, defaultBranch: undefined }).autoMerge).toBe(false);
  });

  describe('a domain namespace’s status change', () => {
    const s = 'registry/status/com.example/tool.yaml';
    const f = file(s, { kind: 'lifecycle', namespace: 'com.example', serverName: 'com.example/tool' });
    const sig = file(`${s}.sig`, { kind: 'lifecycle', namespace: 'com.example', serverName: 'com.example/tool', checkPath: s });
    const lifecycle = [{ path: s, ok: true, diagnostics: [] }];
    const unsigned: Report = {
      ok: false,
      files: [{ path: s, ok: false, diagnostics: [{ ...err, code: 'verify/domain-signature-missing', message: 'commit the .sig', pointer: '' }] }],
    };

    it('auto-merges it when verify proved the status file’s signature', () => {
      const r = decidePr(set(f, sig), { verify: ok(s), lifecycle }, ctx);
      expect(r).toMatchObject({ ok: true, autoMerge: true, reviewReasons: [] });
      expect(r.files.map((x) => x.checks.ownership)).toEqual(['passed', 'passed']);
    });

    it('sends it to a human with the verify code as the reason, without failing the PR', () => {
      const r = decidePr(set(f, sig), { verify: unsigned, lifecycle }, ctx);
      expect(r).toMatchObject({ ok: true, autoMerge: false });
      expect(r.labels).toEqual(['needs-review']);
      expect(r.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'verify/domain-signature-missing', severity: 'warning' })]);
      expect(r.reviewReasons).toEqual([
        expect.stringMatching(
          /^the status change registry\/status\/com\.example\/tool\.yaml is not proven by its domain's key \(verify\/domain-signature-missing\)/,
        ),
      ]);
    });

    it('does not let a proof for another status file speak for this one', () => {
      const r = decidePr(set(f), { verify: ok('registry/status/com.example/other.yaml'), lifecycle }, ctx);
      expect(r.autoMerge).toBe(false);
      expect(r.files[0]!.checks.ownership).toBe('pending');
    });
  });

  it('never auto-merges a PR touching files outside registry data', () => {
    const r = decidePr(
      set(file(P), file('.github/workflows/x.yml', { kind: 'other', checkContent: false })),
      { validate: ok(P), verify: ok(P), lifecycle: [] },
      ctx,
    );
    expect(r.autoMerge).toBe(false);
    expect(r.reviewReasons.join()).toMatch(/outside servers/);
  });
});

describe('sticky comment', () => {
  const result = decidePr(set(file(P)), { validate: { ok: false, files: [{ path: P, ok: false, diagnostics: [err] }] }, verify: ok(P), lifecycle: [] }, ctx);

  it('starts with the marker that finds it again', () => {
    expect(renderComment(result, { docsBase: 'https://x/blob/main' }).startsWith(COMMENT_MARKER)).toBe(true);
  });

  it('links each code to its rule documentation', () => {
    const body = renderComment(result, { docsBase: 'https://x/blob/main' });
    expect(body).toContain('[`name/format`](https://x/blob/main/docs/rules.md#nameformat)');
    expect(body).toContain('line 2, column 11');
  });

  it('links the rules, verification and publishing docs in its footer', () => {
    const body = renderComment(result, { docsBase: 'https://x/blob/main' });
    expect(body).toContain('[docs/verification.md](https://x/blob/main/docs/verification.md)');
    expect(body).toContain('[docs/rules.md](https://x/blob/main/docs/rules.md)');
  });

  it('renders text from the PR inert: no HTML, mentions, links or code spans', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression written as data, on purpose
    const evil: Diagnostic = { ...err, message: '<img src=x onerror=alert(1)> @octocat [x](http://evil) `${{ secrets.TOKEN }}`' };
    const r = decidePr(set(file(P)), { validate: { ok: false, files: [{ path: P, ok: false, diagnostics: [evil] }] }, verify: ok(P), lifecycle: [] }, ctx);
    const body = renderComment(r, { docsBase: 'https://x' });
    expect(body).not.toContain('<img');
    expect(body).not.toContain('@octocat');
    expect(body).not.toMatch(/\[x\]\(http/);
    expect(body).not.toContain('`${{');
  });

  it('stays under GitHub’s comment size limit with thousands of diagnostics', () => {
    const many = Array.from({ length: 300 }, (_, i) => `servers/io.github.alice/s${i}/1.0.0.json`);
    const validate: Report = { ok: false, files: many.map((path) => ({ path, ok: false, diagnostics: Array.from({ length: 10 }, () => err) })) };
    const r = decidePr(set(...many.map((p) => file(p))), { validate, verify: ok(...many), lifecycle: [] }, ctx);
    const body = renderComment(r, { docsBase: 'https://x' });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toMatch(/and details for \d+ more files/);
  });
});

describe('type guards', () => {
  it('accepts the contract report shape and rejects human text', () => {
    expect(isReport({ ok: true, files: [{ path: 'a', ok: true, diagnostics: [] }] })).toBe(true);
    expect(isReport('1 file checked')).toBe(false);
    expect(isReport({ ok: true, files: [{ path: 'a', ok: true, diagnostics: [{ code: 'x' }] }] })).toBe(false);
  });

  it('accepts a result the decision produced and rejects a tampered one', () => {
    const r = decidePr(set(file(P)), { validate: ok(P), verify: ok(P), lifecycle: [] }, ctx);
    const roundTrip = JSON.parse(JSON.stringify(r));
    expect(isPrCheckResult(roundTrip)).toBe(true);
    expect(isPrCheckResult({ ...roundTrip, labels: ['admin'] })).toBe(false);
    expect(isPrCheckResult({ ...roundTrip, headSha: 'main' })).toBe(false);
  });
});
