/**
 * Priorities and events through the staff forms: every rule of the forms, and
 * each change seen where the public sees it (the open data API in upstream's
 * shapes and the neighbourhood page).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { A, errorSummary, FORCE, getPage, postForm, staffFixture, staffUrl, type StaffFixture } from './staff.test-helper.ts';

const date = (prefix: string, d: string, m: string, y: string) => ({ [`${prefix}-day`]: d, [`${prefix}-month`]: m, [`${prefix}-year`]: y });
const GOOD_EVENT = { title: 'Cuppa with a copper', type: 'meeting', address: 'Bitterne Library', description: 'Come and meet the team.\nTea provided.', ...date('startDate', '14', '3', '2099'), startTime: '10:30', endTime: '12pm' };

describeEachStore('staff tools: priorities and events', (getStore) => {
  let f: StaffFixture;
  before(async () => {
    f = await staffFixture(getStore());
  });
  after(async () => f?.app.close());

  const post = (rest: string, fields: Record<string, string>) => f.app.inject(postForm(f.officerA, staffUrl(FORCE, A, rest), fields));
  const api = async (path: string) => JSON.parse((await f.app.inject(`/api/${FORCE}/${A}${path}`)).body) as Array<Record<string, unknown>>;
  const publicPage = async () => (await f.app.inject({ url: `/neighbourhoods/${FORCE}/${A}`, headers: { accept: 'text/html' } })).body;

  it('refuses a priority with impossible, partial or out-of-order dates, or too much text, and says why', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ issue: '' }, ['issue: Enter what people raised with the team']],
      [{ issue: 'x'.repeat(2001) }, ['issue: What people said must be 2000 characters or less']],
      [{ issue: 'Litter', ...date('issueDate', '31', '2', '2026') }, ['issueDate-day: Date raised must be a real date']],
      [{ issue: 'Litter', ...date('issueDate', '3', '', '2026') }, ['issueDate-day: Date raised must include a month']],
      [{ issue: 'Litter', ...date('issueDate', '3', '13', '2026') }, ['issueDate-day: Date raised must be a real date']],
      [{ issue: 'Litter', action: 'Swept', ...date('issueDate', '5', '3', '2026'), ...date('actionDate', '4', '3', '2026') }, ['actionDate-day: Date of action must be the same as or after the date raised']],
      [{ issue: 'Litter', ...date('actionDate', '4', '3', '2026') }, ['action: Enter what the team did, or remove the date of action']],
    ];
    for (const [fields, expected] of cases) {
      const res = await post('/priorities/add', fields);
      assert.equal(res.statusCode, 400, JSON.stringify(fields).slice(0, 80));
      assert.deepEqual(errorSummary(res.body), expected);
      assert.match(res.body, /<title>Error: /);
      assert.match(res.body, /class="govuk-error-message"/, 'the field shows its error too');
    }
    assert.equal((await api('/priorities')).length, 2, 'nothing was added');
  });

  it('adds, changes and removes a priority, as the API and the page show it', async () => {
    const added = await post('/priorities/add', { issue: 'Cars parked on <the> pavement & verge', ...date('issueDate', '3', '2', '2026') });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, `${staffUrl(FORCE, A)}/priorities?done=priority-added`);
    const banner = await f.app.inject(getPage(f.officerA, added.headers.location as string));
    assert.match(banner.body, /govuk-notification-banner--success[\s\S]*Priority added/);
    let priorities = await api('/priorities');
    assert.deepEqual(priorities[2], { issue: '<p>Cars parked on &lt;the&gt; pavement &amp; verge</p>', 'issue-date': '2026-02-03T00:00:00', action: null, 'action-date': null });
    assert.ok((await publicPage()).includes('Cars parked on &lt;the&gt; pavement &amp; verge'), 'shown as typed, escaped once');

    const changed = await post('/priorities/2', { issue: 'Cars parked on the pavement', ...date('issueDate', '3', '2', '2026'), action: 'Tickets issued', ...date('actionDate', '10', '2', '2026') });
    assert.equal(changed.statusCode, 303);
    priorities = await api('/priorities');
    assert.deepEqual(priorities[2], { issue: '<p>Cars parked on the pavement</p>', 'issue-date': '2026-02-03T00:00:00', action: '<p>Tickets issued</p>', 'action-date': '2026-02-10T00:00:00' });

    const confirm = await f.app.inject(getPage(f.officerA, staffUrl(FORCE, A, '/priorities/2/remove')));
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Are you sure you want to remove this priority\?[\s\S]*Cars parked on the pavement/);
    assert.equal((await api('/priorities')).length, 3, 'the confirmation page removes nothing');
    assert.equal((await post('/priorities/2/remove', {})).statusCode, 303);
    assert.equal((await api('/priorities')).length, 2);
    assert.equal((await f.app.inject(getPage(f.officerA, staffUrl(FORCE, A, '/priorities/2')))).statusCode, 404);
  });

  it('refuses an event without a real start, with an end before it, or with bad times', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ ...GOOD_EVENT, title: '' }, ['title: Enter a title']],
      [{ ...GOOD_EVENT, title: 't'.repeat(151) }, ['title: Title must be 150 characters or less']],
      [{ ...GOOD_EVENT, ...date('startDate', '', '', '') }, ['startDate-day: Enter the start date']],
      [{ ...GOOD_EVENT, ...date('startDate', '29', '2', '2099') }, ['startDate-day: Start date must be a real date']],
      [{ ...GOOD_EVENT, startTime: '25:00' }, ['startTime: Start time must be a real time, like 19:30 or 7:30pm']],
      [{ ...GOOD_EVENT, startTime: '' }, ['startTime: Enter the start time']],
      [{ ...GOOD_EVENT, endTime: '10:00' }, ['endTime: The event must end after it starts']],
      [{ ...GOOD_EVENT, ...date('endDate', '13', '3', '2099'), endTime: '11:00' }, ['endDate-day: The event must end after it starts']],
      [{ ...GOOD_EVENT, ...date('endDate', '15', '3', '2099'), endTime: '' }, ['endTime: Enter the end time']],
      [{ ...GOOD_EVENT, description: 'd'.repeat(2001) }, ['description: Description must be 2000 characters or less']],
    ];
    for (const [fields, expected] of cases) {
      const res = await post('/events/add', fields);
      assert.equal(res.statusCode, 400, JSON.stringify(expected));
      assert.deepEqual(errorSummary(res.body), expected);
    }
    const kept = await post('/events/add', { ...GOOD_EVENT, title: '' });
    assert.match(kept.body, /value="Bitterne Library"/, 'what was typed is kept');
  });

  it('adds an event in UK local time, shown by the API and the page, and changes and removes it', async () => {
    const before = (await api('/events')).length;
    assert.equal((await post('/events/add', { ...GOOD_EVENT, title: 'Cuppa <b>with</b> a copper' })).statusCode, 303);
    const events = await api('/events');
    assert.equal(events.length, before + 1);
    const added = events.find((e) => String(e.title).includes('Cuppa'));
    assert.deepEqual(added, {
      title: 'Cuppa &lt;b&gt;with&lt;/b&gt; a copper',
      type: 'meeting',
      description: '<p>Come and meet the team.</p><p>Tea provided.</p>',
      address: 'Bitterne Library',
      start_date: '2099-03-14T10:30:00',
      end_date: '2099-03-14T12:00:00',
      contact_details: {},
    });
    const page = await publicPage();
    assert.ok(page.includes('<h3 class="govuk-heading-m govuk-!-margin-bottom-1">Cuppa &lt;b&gt;with&lt;/b&gt; a copper</h3>'), 'typed markup is shown as text');
    assert.match(page, /Saturday 14 March 2099, 10:30am to midday/);

    const rows = (await f.app.inject(getPage(f.officerA, staffUrl(FORCE, A, '/events')))).body;
    const href = new RegExp(`href="(${staffUrl(FORCE, A, '/events/')}\\d+)"[^>]*>Change<span class="govuk-visually-hidden"> Cuppa`).exec(rows)?.[1];
    assert.ok(href, 'the list links to the event');
    const form = (await f.app.inject(getPage(f.officerA, href))).body;
    assert.match(form, /name="startTime"[^>]*value="10:30"/);
    assert.equal((await f.app.inject(postForm(f.officerA, href, { ...GOOD_EVENT, title: 'Cuppa moved', startTime: '2pm', endTime: '15:00' }))).statusCode, 303);
    const moved = (await api('/events')).find((e) => e.title === 'Cuppa moved');
    assert.equal(moved?.start_date, '2099-03-14T14:00:00');
    assert.equal((await f.app.inject(postForm(f.officerA, `${href}/remove`, {}))).statusCode, 303);
    assert.equal((await api('/events')).length, before);
  });
});
