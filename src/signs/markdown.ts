/**
 * Guide Markdown to HTML that is safe to print: `marked` turns Markdown into HTML,
 * then `sanitize-html` keeps only a small allowlist (headings h2–h4, paragraphs,
 * lists, strong and emphasis, block quotes, and links to http(s), mailto:, tel: or
 * this site) and adds GOV.UK Frontend's classes. Everything else (scripts, event
 * handlers, styles, images, iframes, forms, raw HTML the editor typed) is removed,
 * keeping its text where it has any and dropping script and style bodies whole.
 *
 * An editor's h1 becomes an h2: the page's h1 is the guide's title.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Elements whose contents are code or foreign markup, not words for the reader: dropped whole. */
const CONTENT_DROPPED = /<(script|style|iframe|object|embed|svg|math|template|noscript|textarea|select)\b[\s\S]*?<\/\1\s*>/gi;

// Raw HTML in the Markdown is dropped at the source, tags only (the sanitiser would remove it too),
// and before that, elements whose contents would otherwise be left behind as stray text.
const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: { html: () => '' },
  hooks: { preprocess: (markdown: string) => markdown.replace(CONTENT_DROPPED, '') },
});

const CLASSES: Record<string, string> = {
  h2: 'govuk-heading-m',
  h3: 'govuk-heading-s',
  h4: 'govuk-heading-s',
  p: 'govuk-body',
  ul: 'govuk-list govuk-list--bullet',
  ol: 'govuk-list govuk-list--number',
  a: 'govuk-link',
  blockquote: 'govuk-inset-text',
};

/** Relative links (to a page of this site) and these schemes; nothing else survives. */
const SCHEMES = ['http', 'https', 'mailto', 'tel'];

/** A relative address of this site: starts with one `/` (not `//`, which names another host) or `#`. */
function isRelative(href: string): boolean {
  return /^\/(?![/\\])/.test(href) || href.startsWith('#');
}

const ALLOWED_TAGS = ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'br'];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href'] },
  allowedSchemes: SCHEMES,
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Script and style bodies go with their tags; other unknown tags leave their text.
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template'],
  transformTags: {
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    b: 'strong',
    i: 'em',
    // A link to anywhere else (javascript:, data:, //host) loses its tag and keeps its text.
    a: (_tagName, attribs): sanitizeHtml.Tag => {
      const href = (attribs.href ?? '').trim();
      return isAllowedHref(href) ? { tagName: 'a', attribs: { href } } : { tagName: 'span', attribs: {} };
    },
  },
};

function isAllowedHref(href: string): boolean {
  const trimmed = href.trim();
  if (trimmed === '') return false;
  if (isRelative(trimmed)) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  return scheme !== undefined && SCHEMES.includes(scheme);
}

/** Adds the GOV.UK class for each kept element (a second pass: class is not an attribute editors may set). */
const CLASS_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'class'], '*': ['class'] },
  allowedSchemes: SCHEMES,
  allowProtocolRelative: false,
  transformTags: Object.fromEntries(
    Object.entries(CLASSES).map(([tag, className]) => [
      tag,
      (tagName: string, attribs: sanitizeHtml.Attributes) => ({ tagName, attribs: { ...attribs, class: className } }),
    ]),
  ),
  // A paragraph left empty (it held only an image or raw HTML) goes too.
  exclusiveFilter: (frame) => frame.tag === 'p' && frame.text.trim() === '',
};

/** Safe, GOV.UK-styled HTML for a guide's Markdown. */
export function renderGuideMarkdown(markdown: string): string {
  const raw = marked.parse(markdown) as string;
  const safe = sanitizeHtml(raw, OPTIONS);
  return sanitizeHtml(safe, CLASS_OPTIONS).trim();
}
