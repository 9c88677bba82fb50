import { describe, expect, it } from 'vitest';
import { diagnostic, warning } from '../../scripts/core/diagnostics.ts';
import { err, ok } from '../../scripts/core/result.ts';

describe('diagnostic', () => {
  it('is an error about the whole document, position unknown, unless told', () => {
    expect(diagnostic('sync/http', 'm')).toEqual({ code: 'sync/http', severity: 'error', message: 'm', pointer: '', line: 0, column: 0 });
  });

  it('takes the pointer and position it is given', () => {
    expect(diagnostic('json/syntax', 'm', { pointer: '/a', line: 3, column: 7 })).toMatchObject({ pointer: '/a', line: 3, column: 7 });
  });

  it('warning() is the same with severity warning', () => {
    expect(warning('build/shallow-clone', 'm')).toEqual({ ...diagnostic('build/shallow-clone', 'm'), severity: 'warning' });
  });
});

describe('Result', () => {
  it('ok() and err() build the two sides', () => {
    expect(ok(1)).toEqual({ ok: true, value: 1 });
    expect(err('no')).toEqual({ ok: false, error: 'no' });
  });
});
