import { describe, expect, it } from 'vitest';
import { loginRenameProblems, type RenameRecord, renameProblems, resolveRenamed } from '../../scripts/lifecycle/rename.ts';

const AT = '2026-03-01T10:00:00Z';
const rec = (from: string, to: string): RenameRecord => ({ from, to, renamedAt: AT, renamedBy: 'owner' });
const mine = (...names: string[]) => ({ ownsName: (n: string) => names.includes(n), otherChangedPaths: [] });
const codes = (ds: { code: string }[]) => ds.map((d) => d.code);

describe('rename records', () => {
  it('accepts a rename between two names the author owns', () => {
    expect(renameProblems([], rec('com.example/a', 'com.example/b'), mine('com.example/a', 'com.example/b'))).toEqual([]);
  });

  it('refuses a rename to a name someone else owns', () => {
    expect(codes(renameProblems([], rec('com.example/a', 'org.victim/b'), mine('com.example/a')))).toEqual(['lifecycle/rename-not-owner']);
  });

  it('refuses a rename away from a name the author does not own (hijacking its old clients)', () => {
    expect(codes(renameProblems([], rec('org.victim/a', 'com.example/b'), mine('com.example/b')))).toEqual(['lifecycle/rename-not-owner']);
  });

  it('refuses a chain A→B→C', () => {
    const all = mine('x.y/a', 'x.y/b', 'x.y/c');
    expect(codes(renameProblems([rec('x.y/a', 'x.y/b')], rec('x.y/b', 'x.y/c'), all))).toEqual(['lifecycle/rename-chain']);
  });

  it('refuses a cycle A→B→A and a self-rename', () => {
    const all = mine('x.y/a', 'x.y/b');
    expect(codes(renameProblems([rec('x.y/a', 'x.y/b')], rec('x.y/b', 'x.y/a'), all))).toContain('lifecycle/rename-cycle');
    expect(codes(renameProblems([], rec('x.y/a', 'x.y/a'), all))).toEqual(['lifecycle/rename-cycle']);
  });

  it('refuses replacing a merged record and pointing two old names at one', () => {
    const all = mine('x.y/a', 'x.y/b', 'x.y/c');
    expect(codes(renameProblems([rec('x.y/a', 'x.y/b')], rec('x.y/a', 'x.y/c'), all))).toEqual(['lifecycle/rename-exists']);
    expect(codes(renameProblems([rec('x.y/a', 'x.y/b')], rec('x.y/c', 'x.y/b'), all))).toEqual(['lifecycle/rename-target-taken']);
  });

  it('refuses a rename PR that also edits a published version', () => {
    const proofs = { ownsName: () => true, otherChangedPaths: ['servers/x.y/a/1.0.0/server.json'] };
    expect(codes(renameProblems([], rec('x.y/a', 'x.y/b'), proofs))).toEqual(['lifecycle/rename-with-other-changes']);
  });

  it('a maintainer’s rename (an orphaned entry) needs no ownership proof', () => {
    const r = { ...rec('x.y/a', 'x.y/b'), renamedBy: 'maintainer' as const };
    expect(renameProblems([], r, mine())).toEqual([]);
  });
});

describe('login renames', () => {
  const move = rec('io.github.old-login/weather', 'io.github.new-login/weather');
  it('accepts the same account id under its new login', () => {
    expect(loginRenameProblems(move, 4242, 4242)).toEqual([]);
  });
  it('refuses an impostor who took the freed login', () => {
    expect(codes(loginRenameProblems(move, 4242, 9999))).toEqual(['lifecycle/rename-account-mismatch']);
    expect(codes(loginRenameProblems(move, undefined, 9999))).toEqual(['lifecycle/rename-account-mismatch']);
    expect(codes(loginRenameProblems(move, undefined, undefined))).toEqual(['lifecycle/rename-account-mismatch']);
  });
});

describe('alias resolution', () => {
  it('answers an old name with the new one, and leaves other names alone', () => {
    const records = [rec('x.y/a', 'x.y/b')];
    expect(resolveRenamed('x.y/a', records)).toEqual({ name: 'x.y/b', renamedFrom: 'x.y/a' });
    expect(resolveRenamed('x.y/c', records)).toEqual({ name: 'x.y/c' });
  });
});
