/**
 * The pieces the staff forms are built from, without a store: times and dates
 * as people type them, typed text to upstream's stored form and back, and the
 * banner that prints only texts of its own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToParagraphs } from '../neighbourhood-page/text.ts';
import { boundaryField } from './force-admin.schema.ts';
import { dateField, timeField } from './form.ts';
import { doneBanner } from './staff-pages.ts';
import { storedLine, storedParagraphs, typedLine, typedParagraphs } from './stored-text.ts';

describe('staff form pieces', () => {
  it('reads times as people type them, and refuses the rest', () => {
    const time = timeField('Start time', true);
    const cases: Array<[string, string | null]> = [
      ['19:30', '19:30'],
      ['7:30pm', '19:30'],
      ['7pm', '19:00'],
      ['12am', '00:00'],
      ['12pm', '12:00'],
      ['09.15', '09:15'],
      ['0:05', '00:05'],
      ['24:00', null],
      ['7', null],
      ['13pm', null],
      ['7:60', null],
      ['noon', null],
    ];
    for (const [typed, expected] of cases) {
      const parsed = time.safeParse(typed);
      assert.equal(parsed.success ? parsed.data : null, expected, typed);
    }
    assert.equal(timeField('End time', false).parse(''), null);
  });

  it('accepts real dates only, and says what is missing', () => {
    const d = dateField('Start date', true);
    assert.equal(d.parse({ day: '1', month: '2', year: '2026' }), '2026-02-01');
    assert.equal(d.parse({ day: ' 29 ', month: '2', year: '2028' }), '2028-02-29', 'a leap day');
    const message = (v: { day: string; month: string; year: string }) => {
      const r = d.safeParse(v);
      return r.success ? null : r.error.issues[0]?.message;
    };
    assert.equal(message({ day: '29', month: '2', year: '2027' }), 'Start date must be a real date');
    assert.equal(message({ day: '1', month: '2', year: '26' }), 'Start date must be a real date');
    assert.equal(message({ day: '', month: '', year: '2026' }), 'Start date must include a day and a month');
    assert.equal(message({ day: '', month: '', year: '' }), 'Enter the start date');
    assert.equal(message({ day: '1', month: '1', year: '1999' }), 'Start date must be between the years 2000 and 2099');
    assert.equal(dateField('Date raised', false).parse({ day: '', month: '', year: '' }), null);
  });

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
