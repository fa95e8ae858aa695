/**
 * The pieces the staff forms are built from, without a store: typed text to
 * upstream's stored form and back, a pasted boundary, and the banner that prints
 * only texts of its own. The shared field rules are tested in site/form-rules.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToParagraphs } from '../neighbourhood-page/text.ts';
import { boundaryField } from './force-admin.schema.ts';
import { doneBanner } from './staff-pages.ts';
import { storedLine, storedParagraphs, typedLine, typedParagraphs } from './stored-text.ts';

describe('staff form pieces', () => {
  it('stores typed text so that the public page shows exactly what was typed', () => {
    const typed = 'Fish & chips <script>alert(1)</script> &amp; "quotes"';
    assert.equal(storedLine(typed), 'Fish &amp; chips &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; "quotes"');
    assert.deepEqual(htmlToParagraphs(storedLine(typed)), [typed]);
    assert.equal(typedLine(storedLine(typed)), typed);
    const bio = 'First line\r\n\r\n  Second   line <b>';
    assert.equal(storedParagraphs(bio), '<p>First line</p><p>Second line &lt;b&gt;</p>');
    assert.equal(typedParagraphs(storedParagraphs(bio)), 'First line\nSecond line <b>');
    assert.equal(storedParagraphs('  \n '), null);
  });

  it('closes a pasted boundary and refuses points that are not coordinates', () => {
    assert.deepEqual(boundaryField.parse('50,-1\n51, -1\n51 -2'), [
      { latitude: 50, longitude: -1 },
      { latitude: 51, longitude: -1 },
      { latitude: 51, longitude: -2 },
      { latitude: 50, longitude: -1 },
    ]);
    assert.deepEqual(boundaryField.parse('\n\n'), []);
    assert.equal(boundaryField.safeParse('50,-1\n51,-1\n51,-200').success, false);
    assert.equal(boundaryField.safeParse('50,-1\n50,-1\n51,-1').success, false, 'two different points are not an area');
  });

  it('prints a banner only for the changes it knows', () => {
    assert.equal(doneBanner({ done: 'event-added' }), 'Event added');
    assert.equal(doneBanner({ done: 'member-moved' }), 'Team member moved');
    assert.equal(doneBanner({ done: '<script>-added' }), null);
    assert.equal(doneBanner({ done: 'event-hacked' }), null);
    assert.equal(doneBanner({ done: 'constructor-added' }), null);
    assert.equal(doneBanner({}), null);
  });
});
