/**
 * Every string of the signs page shell comes from the translation catalogue: each
 * key a signs template (or the layout, or the neighbourhood page's link) names, and
 * each key the routing panel builds, is in the English catalogue; Welsh falls back
 * to English until it is written.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CATALOGUES, translate } from '../site/i18n.ts';
import { panelTextKeys } from './signs.presenter.ts';

const templates = fileURLToPath(new URL('../site/templates/', import.meta.url));

function templateFiles(): string[] {
  const signs = readdirSync(join(templates, 'signs')).map((name) => join(templates, 'signs', name));
  return [...signs, join(templates, 'layout.njk'), join(templates, 'neighbourhood', 'neighbourhood.njk')];
}

/** Keys named literally: t('…') or t("…"). */
function keysIn(text: string): string[] {
  return [...text.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('signs translation catalogue', () => {
  it('has every key the signs templates use', () => {
    const missing: string[] = [];
    let used = 0;
    for (const file of templateFiles()) {
      for (const key of keysIn(readFileSync(file, 'utf8'))) {
        used += 1;
        if (!Object.hasOwn(CATALOGUES.en, key)) missing.push(`${file.slice(templates.length)}: ${key}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(used > 25, `only ${used} keys found: is the scan reading the templates?`);
  });

  it('has every key the routing panel builds', () => {
    const missing = panelTextKeys().filter((key) => !Object.hasOwn(CATALOGUES.en, key));
    assert.deepEqual(missing, []);
  });

  it('leaves no literal text outside t() in the signs templates’ headings and paragraphs', () => {
    for (const name of ['index.njk', 'guide.njk', '_who-to-tell.njk', '_exit.njk']) {
      const text = readFileSync(join(templates, 'signs', name), 'utf8')
        .replace(/\{#[\s\S]*?#\}/g, '')
        .replace(/\{\{[\s\S]*?\}\}/g, '')
        .replace(/\{%[\s\S]*?%\}/g, '')
        .replace(/<[^>]+>/g, '');
      // What is left is whitespace, the icon's "!" and the warning's visually hidden "Warning" (as GOV.UK's own component prints it).
      const words = text.replace(/\bWarning\b|!|:/g, '').trim();
      assert.equal(words, '', `${name} has text outside the catalogue: ${words.slice(0, 80)}`);
    }
  });

  it('fills placeholders, falls back from Welsh to English, and names a missing key', () => {
    assert.equal(translate('en', 'signs.panel.call', { number: '101' }), 'Call 101');
    assert.equal(translate('cy', 'signs.index.title'), CATALOGUES.en['signs.index.title']);
    assert.equal(translate('en', 'signs.no.such.key'), 'signs.no.such.key');
    assert.equal(translate('en', 'signs.panel.call'), 'Call {number}', 'an unfilled placeholder stays visible');
  });
});
