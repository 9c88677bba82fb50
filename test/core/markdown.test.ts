import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../scripts/core/markdown.ts';

describe('escapeMarkdown', () => {
  it('escapes every Markdown control character', () => {
    expect(escapeMarkdown('a*b_c`d|e')).toBe('a\\*b\\_c\\`d\\|e');
  });

  it('keeps untrusted text on one line, without HTML or mentions', () => {
    expect(escapeMarkdown('x\r\n<img src=y>@team')).toBe('x &lt;img src=y&gt;&\\#64;team');
  });

  it('cannot make a link', () => {
    expect(escapeMarkdown('[click](https://evil.example)')).toBe('\\[click\\]\\(https\\://evil\\.example\\)');
  });
});
