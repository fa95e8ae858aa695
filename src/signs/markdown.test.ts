/**
 * The guide sanitiser: Markdown keeps its headings, paragraphs, lists, emphasis,
 * quotes and safe links, with GOV.UK classes; scripts, event handlers, dangerous
 * link schemes, frames, images, styles and raw HTML are removed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderGuideMarkdown } from './markdown.ts';

describe('guide Markdown', () => {
  it('renders the safe subset with GOV.UK classes', () => {
    const html = renderGuideMarkdown(
      '## Signs\n\n### Small\n\nSome **strong** and *soft* words.\n\n- one\n- two\n\n1. first\n2. second\n\n> Remember this\n\n[Report Fraud](https://www.reportfraud.police.uk) or [call 101](tel:101), [email](mailto:team@example.test), [home](/), [find](#guides)',
    );
    assert.match(html, /<h2 class="govuk-heading-m">Signs<\/h2>/);
    assert.match(html, /<h3 class="govuk-heading-s">Small<\/h3>/);
    assert.match(html, /<p class="govuk-body">Some <strong>strong<\/strong> and <em>soft<\/em> words\.<\/p>/);
    assert.match(html, /<ul class="govuk-list govuk-list--bullet">\s*<li>one<\/li>/);
    assert.match(html, /<ol class="govuk-list govuk-list--number">/);
    assert.match(html, /<blockquote class="govuk-inset-text">/);
    for (const href of ['https://www.reportfraud.police.uk', 'tel:101', 'mailto:team@example.test', '/', '#guides']) {
      assert.ok(html.includes(`<a href="${href}" class="govuk-link">`), href);
    }
  });

  it('turns an editor’s top-level heading into a section heading (the page has one h1)', () => {
    assert.equal(renderGuideMarkdown('# Big'), '<h2 class="govuk-heading-m">Big</h2>');
    assert.doesNotMatch(renderGuideMarkdown('##### Tiny'), /<h5/);
  });

  it('removes scripts, styles and their contents', () => {
    const html = renderGuideMarkdown(
      'Before\n\n<script>alert("x")</script>\n\n<style>body{display:none}</style>\n\nAfter <script>steal()</script>',
    );
    assert.doesNotMatch(html, /script|alert|steal|style|display/i);
    assert.match(html, /Before/);
    assert.match(html, /After/);
  });

  it('removes event handlers and raw HTML, keeping nothing the editor typed as markup', () => {
    const html = renderGuideMarkdown(
      '<div onclick="evil()">Click</div>\n\nText with <span onmouseover="evil()" style="color:red">inline</span> and <b onclick="x()">bold</b>.\n\n<a href="https://example.test" onclick="evil()">raw link</a>',
    );
    assert.doesNotMatch(html, /onclick|onmouseover|evil|style=|<div|<span|<b[ >]/i);
  });

  it('drops javascript:, data:, vbscript: and protocol-relative links but keeps their text', () => {
    for (const href of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'java&#09;script:alert(1)',
      'data:text/html,<b>hi</b>',
      'vbscript:msgbox(1)',
      '//evil.example/path',
    ]) {
      const html = renderGuideMarkdown(`[press here](${href})`);
      assert.doesNotMatch(html, /<a /, href);
      assert.doesNotMatch(html, /javascript|data:|vbscript|evil/i, href);
      assert.match(html, /press here/, href);
    }
  });

  it('never makes a link that a browser reads as another host', () => {
    assert.doesNotMatch(renderGuideMarkdown('[x](/\\evil.example)'), /href="\/(\/|\\)/);
  });

  it('removes iframes, images, objects, forms and SVG', () => {
    const html = renderGuideMarkdown(
      '![a picture](https://example.test/x.png)\n\n<img src="x" onerror="evil()">\n\n<iframe src="https://example.test"></iframe>\n\n<object data="x"></object>\n\n<form action="/x"><input name="a"><button>Go</button></form>\n\n<svg><script>evil()</script></svg>\n\nStill here',
    );
    assert.doesNotMatch(html, /<img|<iframe|<object|<form|<input|<button|<svg|onerror|evil/i);
    assert.match(html, /Still here/);
  });

  it('escapes what is left as text', () => {
    assert.equal(renderGuideMarkdown('5 < 6 & "quotes"'), '<p class="govuk-body">5 &lt; 6 &amp; "quotes"</p>');
  });
});
