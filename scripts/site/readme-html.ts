/**
 * README text as HTML a server page may embed (pure). The README is untrusted: markdown is
 * rendered by micromark (GFM) with its raw HTML kept, then everything goes through one allowlist
 * sanitiser. What survives: text structure (headings, lists, tables, code, quotes), links to
 * http(s) and mailto, and https images. No script, style, event handler, form, frame, `id` or
 * `class` (so nothing can restyle the page or clobber its elements), no relative URL (it would
 * point into this site). Headings are moved down so the README's `#` sits under the page's own
 * `h2`; links get `rel="nofollow ugc noopener noreferrer"`.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import sanitizeHtml from 'sanitize-html';

export interface ReadmeSource {
  /** One of the two; markdown wins when both are given. */
  markdown?: string;
  html?: string;
}

/** Longer READMEs are cut (the page links to the source for the rest). */
export const MAX_README_CHARS = 200_000;

const TAGS = [
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'br',
  'hr',
  'blockquote',
  'pre',
  'code',
  'kbd',
  'samp',
  'var',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'del',
  'ins',
  'mark',
  'sub',
  'sup',
  'small',
  'abbr',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'details',
  'summary',
  'input',
  'picture',
  'source',
  'span',
  'div',
];

/** h1 → h3 … h4+ → h6: the page already has its h1 and the README section's h2. */
const HEADING_SHIFT: Record<string, string> = { h1: 'h3', h2: 'h4', h3: 'h5', h4: 'h6', h5: 'h6', h6: 'h6' };

function https(url: string | undefined): boolean {
  return typeof url === 'string' && /^https:\/\//i.test(url.trim());
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: TAGS,
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    source: ['srcset', 'media', 'type'],
    th: ['align', 'colspan', 'rowspan', 'scope'],
    td: ['align', 'colspan', 'rowspan'],
    ol: ['start'],
    input: ['type', 'checked', 'disabled'],
    abbr: ['title'],
    details: ['open'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'], source: ['https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'srcset'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'template', 'svg', 'math'],
  transformTags: {
    ...Object.fromEntries(Object.entries(HEADING_SHIFT).map(([from, to]) => [from, to])),
    a: (tagName, attribs) => {
      const href = attribs.href?.trim();
      const absolute = href !== undefined && /^(https?:|mailto:)/i.test(href);
      const out: Record<string, string> = absolute ? { href, rel: 'nofollow ugc noopener noreferrer' } : {};
      if (attribs.title !== undefined) out.title = attribs.title;
      return { tagName: absolute ? tagName : 'span', attribs: out };
    },
    img: (tagName, attribs) => {
      if (!https(attribs.src)) return { tagName: 'span', attribs: {}, text: attribs.alt ?? '' };
      return { tagName, attribs: { ...attribs, loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer' } };
    },
    // Only read-only task-list boxes.
    input: (tagName, attribs) =>
      attribs.type === 'checkbox'
        ? { tagName, attribs: { type: 'checkbox', disabled: '', ...(attribs.checked !== undefined ? { checked: '' } : {}) } }
        : { tagName: 'span', attribs: {} },
  },
  exclusiveFilter: (frame) => frame.tag === 'source' && !(frame.attribs.srcset ?? '').split(',').every((part) => https(part.trim())),
};

// `rel`, `loading`, … are set by the transforms above; let them through.
OPTIONS.allowedAttributes = {
  ...(OPTIONS.allowedAttributes as Record<string, string[]>),
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'decoding', 'referrerpolicy'],
};

/** Pure: untrusted HTML reduced to the allowlist above. */
export function sanitizeReadmeHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** Pure: a README (markdown or HTML) as sanitised HTML; '' when there is nothing to show. */
export function renderReadme(source: ReadmeSource): string {
  const markdown = typeof source.markdown === 'string' ? source.markdown.slice(0, MAX_README_CHARS) : undefined;
  const html =
    markdown !== undefined
      ? micromark(markdown, { allowDangerousHtml: true, allowDangerousProtocol: false, extensions: [gfm()], htmlExtensions: [gfmHtml()] })
      : typeof source.html === 'string'
        ? source.html.slice(0, MAX_README_CHARS)
        : '';
  return sanitizeReadmeHtml(html).trim();
}
