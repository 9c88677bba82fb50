import { describe, expect, it } from 'vitest';
import { renderReadme, sanitizeReadmeHtml } from '../../scripts/site/readme-html.ts';

describe('README rendering', () => {
  it("renders markdown with GFM tables and task lists, headings under the page's own", () => {
    const html = renderReadme({ markdown: '# Weather\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n\n`code` and **bold**' });
    expect(html).toContain('<h3>Weather</h3>');
    expect(html).toContain('<table>');
    expect(html).toContain('<input type="checkbox" disabled checked />');
    expect(html).toContain('<code>code</code> and <strong>bold</strong>');
  });

  it('drops scripts, event handlers, styles, frames and forms, raw or in markdown', () => {
    const attacks = [
      '<script>window.__pwned=1</script>',
      '<img src="https://x.example/a.png" onerror="window.__pwned=2">',
      '<a href="javascript:window.__pwned=3">x</a>',
      '[x](javascript:window.__pwned=4)',
      '<iframe src="https://evil.example"></iframe>',
      '<style>body{display:none}</style>',
      '<form action="https://evil.example"><input name="q"></form>',
      '<svg><script>window.__pwned=5</script></svg>',
      '<a href="JaVaScRiPt:window.__pwned=6">x</a>',
      '<a href="&#106;avascript:window.__pwned=7">x</a>',
      '<div style="position:fixed;inset:0" class="skip" id="main">cover</div>',
      '<object data="https://evil.example/x.swf"></object>',
      '<meta http-equiv="refresh" content="0;url=https://evil.example">',
      '<base href="https://evil.example/">',
    ];
    const dangerous = /<script|onerror=|(href|src)\s*=\s*["']?\s*(javascript|&#)|<iframe|<style|<form|<svg|style=|class=|id=|<object|<meta|<base/i;
    for (const attack of attacks) {
      expect(renderReadme({ markdown: attack }), attack).not.toMatch(dangerous);
      expect(renderReadme({ html: attack }), attack).not.toMatch(dangerous);
      expect(sanitizeReadmeHtml(attack), attack).not.toMatch(dangerous);
    }
  });

  it('keeps https links and images, makes links nofollow and images lazy without referrer', () => {
    const html = renderReadme({ markdown: '[site](https://example.com) ![logo](https://example.com/logo.png)' });
    expect(html).toContain('<a href="https://example.com" rel="nofollow ugc noopener noreferrer">site</a>');
    expect(html).toContain('<img src="https://example.com/logo.png" alt="logo" loading="lazy" decoding="async" referrerpolicy="no-referrer" />');
  });

  it('turns relative and plain-http images and relative links into text', () => {
    const html = renderReadme({ markdown: '![shot](docs/shot.png) ![old](http://example.com/a.png) [guide](docs/guide.md)' });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href=');
    expect(html).toContain('shot');
    expect(html).toContain('guide');
  });

  it('gives nothing for nothing', () => {
    expect(renderReadme({})).toBe('');
  });
});
