/**
 * The team's contact details and police stations through the staff forms: web
 * addresses must be http(s), emails and phone numbers must look real, and each
 * change reaches the open data API in upstream's shape and the public page.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { A, errorSummary, FORCE, getPage, postForm, staffFixture, staffUrl, type StaffFixture } from './staff.test-helper.ts';

const STATION = { name: 'Harefield Police Office', address: '12 Yeovil Chase, Southampton', postcode: 'so18 5pz', telephone: '101', openingTimes: 'Monday to Friday, 9am to 5pm\nClosed on bank holidays' };

describeEachStore('staff tools: contact details and stations', (getStore) => {
  let f: StaffFixture;
  before(async () => {
    f = await staffFixture(getStore());
  });
  after(async () => f?.app.close());

  const post = (rest: string, fields: Record<string, string>) => f.app.inject(postForm(f.officerA, staffUrl(FORCE, A, rest), fields));
  const neighbourhood = async () => JSON.parse((await f.app.inject(`/api/${FORCE}/${A}`)).body) as { contact_details: Record<string, string>; locations: Array<Record<string, unknown>> };
  const publicPage = async () => (await f.app.inject({ url: `/neighbourhoods/${FORCE}/${A}`, headers: { accept: 'text/html' } })).body;

  it('refuses contact details that are not real addresses or numbers', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ email: 'not-an-email' }, ['email: Enter an email address in the correct format, like name@example.com']],
      [{ web: 'javascript:alert(1)' }, ['web: Website must be a full web address, like https://www.example.com/your-team']],
      [{ facebook: 'ftp://example.com/team' }, ['facebook: Facebook page must be a full web address, like https://www.example.com/your-team']],
      [{ twitter: `https://x.com/${'a'.repeat(500)}` }, ['twitter: X (Twitter) page must be 500 characters or less']],
      [{ telephone: 'call us' }, ['telephone: Enter a telephone number like 01632 960 001, 07700 900 982 or 101']],
    ];
    for (const [fields, expected] of cases) {
      const res = await post('/contacts', fields);
      assert.equal(res.statusCode, 400);
      assert.deepEqual(errorSummary(res.body), expected);
    }
    assert.equal((await neighbourhood()).contact_details.email, 'bitterne@hampshire.police.uk', 'unchanged');
  });

  it('saves contact details in upstream’s keys, removing emptied ones and keeping ones the form does not show', async () => {
    await getStore()
      .db.updateTable('neighbourhoods')
      .set({ contact_details: JSON.stringify({ email: 'old@example.org', fax: '01632 960 000', twitter: 'https://twitter.com/old' }) })
      .where('force_id', '=', FORCE)
      .where('id', '=', A)
      .execute();
    const res = await post('/contacts', { email: 'bitterne.team@example.org', telephone: '101', web: 'https://www.example.org/bitterne', messaging: 'https://alerts.example.org/join', twitter: '' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${staffUrl(FORCE, A)}?done=contacts-updated`);
    assert.deepEqual((await neighbourhood()).contact_details, {
      email: 'bitterne.team@example.org',
      fax: '01632 960 000',
      telephone: '101',
      web: 'https://www.example.org/bitterne',
      'e-messaging': 'https://alerts.example.org/join',
    });
    const page = await publicPage();
    assert.match(page, /id="team-contacts"[\s\S]*href="mailto:bitterne\.team@example\.org"/);
    assert.match(page, /href="https:\/\/alerts\.example\.org\/join"/);
    assert.ok(!page.includes('twitter.com/old'));
    const form = (await f.app.inject(getPage(f.officerA, staffUrl(FORCE, A, '/contacts')))).body;
    assert.match(form, /name="email"[^>]*value="bitterne\.team@example\.org"/);
  });

  it('refuses a station without a name or address, or with a postcode that is not one', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ ...STATION, name: '' }, ['name: Enter the name of the station']],
      [{ ...STATION, address: ' ' }, ['address: Enter the address']],
      [{ ...STATION, postcode: 'SO18' }, ['postcode: Enter a real postcode, like SO23 8UA']],
      [{ ...STATION, openingTimes: 'o'.repeat(1001) }, ['openingTimes: Opening times must be 1000 characters or less']],
    ];
    for (const [fields, expected] of cases) {
      const res = await post('/stations/add', fields);
      assert.equal(res.statusCode, 400);
      assert.deepEqual(errorSummary(res.body), expected);
    }
    assert.equal((await neighbourhood()).locations.length, 1);
  });

  it('adds, changes and removes a station in the locations list', async () => {
    assert.equal((await post('/stations/add', STATION)).statusCode, 303);
    let locations = (await neighbourhood()).locations;
    assert.equal(locations.length, 2);
    assert.deepEqual(locations[1], {
      name: 'Harefield Police Office',
      type: 'station',
      address: '12 Yeovil Chase, Southampton',
      postcode: 'SO18 5PZ',
      latitude: null,
      longitude: null,
      description: '<p>Monday to Friday, 9am to 5pm</p><p>Closed on bank holidays</p>',
      telephone: '101',
    });
    assert.match(await publicPage(), /id="stations"[\s\S]*Harefield Police Office[\s\S]*12 Yeovil Chase, Southampton<br>SO18 5PZ[\s\S]*Closed on bank holidays/);

    // Changing the fixture's station keeps its map position.
    assert.equal((await post('/stations/0', { name: 'Bitterne Police Station', address: 'Bitterne Road West', postcode: 'SO18 1BW' })).statusCode, 303);
    locations = (await neighbourhood()).locations;
    assert.equal(locations[0]?.address, 'Bitterne Road West');
    assert.equal(locations[0]?.latitude, '50.9201');
    assert.equal((await post('/stations/0/remove', {})).statusCode, 303);
    locations = (await neighbourhood()).locations;
    assert.deepEqual(locations.map((l) => l.name), ['Harefield Police Office']);
    assert.equal((await post('/stations/5', STATION)).statusCode, 404);
  });
});
