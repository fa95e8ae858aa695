import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeText } from './crime-summary.presenter.ts';
import { londonWallClockToEpoch } from '../neighbourhoods/london-time.ts';
import { eventWhen, presentContacts } from './neighbourhood-page.presenter.ts';
import { htmlToParagraphs, safeWebUrl } from './text.ts';
import { csvField, presentTrends, trendsCsv } from './trends.presenter.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('neighbourhood page helpers', () => {
  it('reads London wall-clock times in summer, winter and across the clock changes', () => {
    assert.equal(iso(londonWallClockToEpoch('2026-07-01T10:00:00')), '2026-07-01T09:00:00.000Z');
    assert.equal(iso(londonWallClockToEpoch('2026-12-01T10:00:00')), '2026-12-01T10:00:00.000Z');
    assert.equal(iso(londonWallClockToEpoch('2026-03-29T00:30:00')), '2026-03-29T00:30:00.000Z');
    assert.equal(iso(londonWallClockToEpoch('2026-03-29T03:00:00')), '2026-03-29T02:00:00.000Z');
    assert.equal(iso(londonWallClockToEpoch('2026-10-25T03:00:00')), '2026-10-25T03:00:00.000Z');
    assert.equal(londonWallClockToEpoch('soon'), null);
  });

  it('turns upstream HTML into text paragraphs', () => {
    assert.deepEqual(htmlToParagraphs('<p>One &amp; two</p><p>Three<br/>Four <script>bad()</script></p>'), ['One & two', 'Three', 'Four']);
    assert.deepEqual(htmlToParagraphs(null), []);
    assert.deepEqual(htmlToParagraphs('&lt;b&gt; &#8217; &#x41;'), ['<b> \u2019 A']);
  });

  it('links only to web addresses', () => {
    assert.equal(safeWebUrl('javascript:alert(1)'), null);
    assert.equal(safeWebUrl('https://example.org/a'), 'https://example.org/a');
    assert.deepEqual(
      presentContacts({ email: 'a@b.org', telephone: '01234 567 890', twitter: 'javascript:x' }).map((c) => c.href),
      ['mailto:a@b.org', 'tel:01234567890'],
    );
  });

  it('describes change in words and missing months as no data', () => {
    assert.equal(changeText(10, 7), 'Up 3 from 7');
    assert.equal(changeText(4, 7), 'Down 3 from 7');
    assert.equal(changeText(7, 7), 'No change from 7');
    assert.equal(changeText(7, null), 'No data');
  });

  it('formats event times as GOV.UK does', () => {
    assert.equal(eventWhen('2026-10-10T10:00:00', '2026-10-10T12:00:00'), 'Saturday 10 October 2026, 10am to midday');
    assert.equal(eventWhen('2026-10-10T19:30:00', null), 'Saturday 10 October 2026, 7:30pm');
  });

  it('escapes CSV fields and defuses spreadsheet formulas', () => {
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)");
    assert.equal(csvField(-3), '-3');
    assert.equal(csvField(null), '');
    const table = presentTrends(['2026-01', '2026-02'], [{ month: '2026-01', category: 'burglary', count: 2 }], new Set(['2026-01']));
    assert.equal(trendsCsv(table), 'Month,Burglary,Total,Published\r\n2026-01,2,2,yes\r\n2026-02,,,not published\r\n');
  });
});
