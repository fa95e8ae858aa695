import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { addMonths } from '../api/data-release.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { categoryName } from './crime-summary.presenter.ts';
import { AREA, FORCE, independentCounts, seedAndBuild, tableRows } from './neighbourhood-page.test-helper.ts';
import { TREND_MONTHS } from './trends.presenter.ts';

const TRENDS = `/neighbourhoods/${FORCE}/${AREA}/trends`;
const html = { accept: 'text/html' };

/** Parses our own CSV (quoted fields with doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trimEnd().split('\r\n')) {
    const cells = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!).slice(0, -1);
    rows.push(cells.map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c)));
  }
  return rows;
}

describeEachStore('trends pages', (getStore) => {
  let app: FastifyInstance;
  let latest: string;
  before(async () => {
    app = await seedAndBuild(getStore());
    latest = (await app.ctx.release.latestMonth())!;
  });
  after(async () => app?.close());

  it('tables crimes per month by category for two years, matching the store', async () => {
    const res = await app.inject({ url: TRENDS, headers: html });
    assert.equal(res.statusCode, 200);
    const rows = tableRows(res.body, 'trends-table');
    assert.equal(rows.length, TREND_MONTHS);
    const header = [...(/<table[^>]*id="trends-table"[\s\S]*?<\/thead>/.exec(res.body)?.[0] ?? '').matchAll(/data-category="([^"]+)"/g)].map((m) => m[1]!);
    for (const month of [latest, addMonths(latest, -13)]) {
      const expected = await independentCounts(getStore(), FORCE, AREA, month);
      const label = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
      const row = rows.find((r) => r[0] === label)!;
      assert.ok(row, label);
      header.forEach((slug, i) => assert.equal(Number(row[i + 1]), expected.get(slug) ?? 0, `${month} ${slug}`));
      assert.equal(Number(row[header.length + 1]), [...expected.values()].reduce((a, b) => a + b, 0));
    }
    assert.match(res.body, /<canvas id="trends-chart" role="img"/);
    assert.match(res.body, /<script src="\/assets\/vendor\/chart\.umd\.min\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    assert.match(res.body, /<script type="module" src="\/assets\/js\/trends\.js"><\/script>/);
    assert.doesNotMatch(res.body, /<script>|style="/, 'nothing inline for the CSP to block');
  });

  it('offers the same numbers as CSV with a header row', async () => {
    const page = await app.inject({ url: TRENDS, headers: html });
    const res = await app.inject(`${TRENDS}.csv`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="demo-brackenford-town-centre-crime-trends-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv"$/);
    const [header, ...rows] = parseCsv(res.body);
    const names = [...(/<table[^>]*id="trends-table"[\s\S]*?<\/thead>/.exec(page.body)?.[0] ?? '').matchAll(/data-category="[^"]+">([^<]+)</g)].map((m) => m[1]!);
    assert.deepEqual(header, ['Month', ...names, 'Total', 'Published']);
    const table = tableRows(page.body, 'trends-table');
    assert.equal(rows.length, table.length);
    rows.forEach((row, i) => {
      assert.deepEqual(row.slice(1, -1), table[i]!.slice(1), row[0]);
      assert.equal(row.at(-1), 'yes');
    });
    assert.equal(rows.at(-1)![0], latest);
  });

  it('gives force-wide trends as a page and CSV', async () => {
    const res = await app.inject({ url: `/forces/${FORCE}/trends`, headers: html });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Crime trends in Demoshire Constabulary/);
    const rows = tableRows(res.body, 'trends-table');
    const last = rows.at(-1)!;
    const forceTotal = await getStore().db.selectFrom('crimes').select((eb) => eb.fn.countAll<number | string>().as('n')).where('force_id', '=', FORCE).where('month', '=', latest).executeTakeFirstOrThrow();
    assert.equal(Number(last.at(-1)), Number(forceTotal.n));
    const csv = await app.inject(`/forces/${FORCE}/trends.csv`);
    assert.equal(csv.statusCode, 200);
    assert.equal(parseCsv(csv.body).length, TREND_MONTHS + 1);
  });

  it('serves Chart.js from the installed package with a long cache', async () => {
    const res = await app.inject('/assets/vendor/chart.umd.min.js');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.ok(res.body.length > 100_000);
  });

  it('shows an unpublished month as a gap, not zeros, in the table and the CSV', async () => {
    const gap = addMonths(latest, -3);
    await getStore().db.deleteFrom('publications').where('force_id', '=', FORCE).where('month', '=', gap).execute();
    const page = await app.inject({ url: TRENDS, headers: html });
    assert.match(page.body, new RegExp(`data-month="${gap}" data-unpublished>\\s*<th[^>]*>[^<]+</th>\\s*<td class="govuk-table__cell" colspan="\\d+">Not published</td>`));
    assert.match(page.body, /id="unpublished-months"/);
    const row = parseCsv((await app.inject(`${TRENDS}.csv`)).body).find((r) => r[0] === gap)!;
    assert.ok(row.slice(1, -1).every((c) => c === ''), 'no counts for the gap');
    assert.equal(row.at(-1), 'not published');
    assert.ok(categoryName('violent-crime') === 'Violence and sexual offences');
  });
});
