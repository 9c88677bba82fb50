import { describe, expect, it } from 'vitest';
import { reviewRename } from '../../scripts/github/rename-review.ts';
import { transferOf, transferProblems } from '../../scripts/lifecycle/transfer.ts';
import { serializeRenameFile } from '../../scripts/state/rename-file.ts';

const AT = '2026-03-01T10:00:00Z';
const codes = (ds: { code: string }[]) => ds.map((d) => d.code);
const PATH = 'registry/renames/io.github.bob/tool.yaml';
const TEXT = serializeRenameFile({ from: 'io.github.bob/tool', to: 'io.github.alice/tool', renamedAt: AT, renamedBy: 'owner' });

describe('transfer of a server to another owner', () => {
  it('is a rename out of another login’s namespace into the author’s', () => {
    expect(transferOf({ from: 'io.github.bob/tool', to: 'io.github.alice/tool' }, 'Alice')).toEqual({
      name: 'io.github.bob/tool',
      to: 'io.github.alice/tool',
      fromOwner: 'bob',
      toOwner: 'alice',
    });
    expect(transferOf({ from: 'io.github.alice/a', to: 'io.github.alice/b' }, 'alice')).toBeUndefined();
    expect(transferOf({ from: 'io.github.bob/tool', to: 'io.github.carol/tool' }, 'alice')).toBeUndefined();
    expect(transferOf({ from: 'com.example/tool', to: 'io.github.alice/tool' }, 'alice')).toBeUndefined();
  });

  it('refuses a transfer without consent', () => {
    const t = transferOf({ from: 'io.github.bob/tool', to: 'io.github.alice/tool' }, 'alice')!;
    expect(codes(transferProblems(t, { approvedBy: [] }))).toEqual(['lifecycle/transfer-without-consent']);
    expect(codes(transferProblems(t, { approvedBy: [{ login: 'alice' }, { login: 'carol' }] }))).toEqual(['lifecycle/transfer-without-consent']);
    expect(codes(transferProblems(t, { approvedBy: [], maintainerReason: '  ' }))).toEqual(['lifecycle/transfer-without-consent']);
  });

  it('accepts the old owner’s approval, or a maintainer’s decision with a reason', () => {
    const t = transferOf({ from: 'io.github.bob/tool', to: 'io.github.alice/tool' }, 'alice')!;
    expect(transferProblems(t, { approvedBy: [{ login: 'Bob' }] })).toEqual([]);
    expect(transferProblems(t, { approvedBy: [], maintainerReason: 'bob deleted the account (issue #807)' })).toEqual([]);
  });
});

describe('the PR check reads a transfer', () => {
  const ctx = { author: 'alice', maintainer: false, otherChangedPaths: [] };

  it('explains it and leaves the consent to a maintainer when approvals were not read', () => {
    const r = reviewRename(PATH, TEXT, [], ctx);
    expect(r.diagnostics).toEqual([]);
    expect(r.explanation).toContain('it transfers io.github.bob/tool from bob to io.github.alice/tool');
    expect(r.explanation).toContain('bob must approve this pull request');
  });

  it('refuses it when the approvals are known and bob is not among them', () => {
    expect(codes(reviewRename(PATH, TEXT, [], { ...ctx, approvedBy: [{ login: 'carol' }] }).diagnostics)).toEqual(['lifecycle/transfer-without-consent']);
    const approved = reviewRename(PATH, TEXT, [], { ...ctx, approvedBy: [{ login: 'bob' }] });
    expect(approved.diagnostics).toEqual([]);
    expect(approved.explanation).toContain('bob approved this pull request');
  });

  it('still refuses moving a name into someone else’s namespace', () => {
    const text = serializeRenameFile({ from: 'io.github.bob/tool', to: 'io.github.carol/tool', renamedAt: AT, renamedBy: 'owner' });
    expect(codes(reviewRename(PATH, text, [], ctx).diagnostics)).toEqual(['lifecycle/rename-not-owner', 'lifecycle/rename-not-owner']);
  });
});
