/**
 * The shared field rules, without a store: times and dates as people type them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateField, timeField } from './form-rules.ts';

describe('shared form rules', () => {
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
});
