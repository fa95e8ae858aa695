/**
 * A force administrator's pages: creating and describing neighbourhoods (with
 * an optional pasted boundary) and setting up each one's team organisation.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { listAudit } from '../audit/audit.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { errorSummary, FORCE, getPage, OTHER_FORCE, postForm, staffFixture, type StaffFixture } from './staff.test-helper.ts';

const LIST = `/staff/forces/${FORCE}/neighbourhoods`;
const BOUNDARY = '50.95,-1.40\n50.97,-1.40\n50.97,-1.38\n50.95,-1.38';

describeEachStore('staff tools: a force administrator’s neighbourhoods and teams', (getStore) => {
  let f: StaffFixture;
  before(async () => {
    f = await staffFixture(getStore());
  });
  after(async () => f?.app.close());

  const post = (url: string, fields: Record<string, string>) => f.app.inject(postForm(f.admin, url, fields));

  it('is only for administrators of that force', async () => {
    assert.equal((await f.app.inject(getPage(f.admin, LIST))).statusCode, 200);
    assert.equal((await f.app.inject(getPage(f.officerA, LIST))).statusCode, 403);
    assert.equal((await f.app.inject(getPage(f.otherAdmin, `${LIST}/new`))).statusCode, 403);
    assert.equal((await f.app.inject(postForm(f.otherAdmin, `${LIST}/new`, { id: 'X1', name: 'X' }))).statusCode, 403);
    assert.equal((await f.app.inject(getPage(f.admin, `/staff/forces/${OTHER_FORCE}/neighbourhoods`))).statusCode, 403);
    assert.equal((await f.app.inject(getPage(f.admin, '/staff/forces/atlantis/neighbourhoods'))).statusCode, 403, 'another force, known or not');
  });

  it('refuses a bad or taken id, a missing name and a boundary that is not one', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ id: '', name: 'North' }, ['id: Enter an ID for the neighbourhood']],
      [{ id: 'north end', name: 'North' }, ['id: ID must start with a letter or number and contain only letters, numbers, hyphens and underscores']],
      [{ id: 'neighbourhoods', name: 'North' }, ['id: Choose another ID: that one is reserved']],
      [{ id: 'SO1', name: 'North' }, ['id: A neighbourhood with this ID already exists']],
      [{ id: 'north', name: '' }, ['name: Enter the name of the neighbourhood']],
      [{ id: 'north', name: 'n'.repeat(101) }, ['name: Name must be 100 characters or less']],
      [{ id: 'north', name: 'North', boundary: '50.95,-1.40\nsomewhere\n50.97,-1.38' }, ['boundary: Line 2 of the boundary must be a latitude and longitude, like 51.0632,-1.3080']],
      [{ id: 'north', name: 'North', boundary: '50.95,-1.40\n50.97,-1.40' }, ['boundary: The boundary must have at least 3 different points, or be left empty']],
      [{ id: 'north', name: 'North', boundary: '95,-1.40\n50.97,-1.40\n50.97,-1.38' }, ['boundary: Line 1 of the boundary must be a latitude and longitude, like 51.0632,-1.3080']],
    ];
    for (const [fields, expected] of cases) {
      const res = await post(`${LIST}/new`, fields);
      assert.equal(res.statusCode, 400, JSON.stringify(fields).slice(0, 60));
      assert.deepEqual(errorSummary(res.body), expected);
    }
  });

  it('creates a neighbourhood that the API, locate and the public page know at once', async () => {
    const res = await post(`${LIST}/new`, { id: 'north-end', name: 'North End & Portswood', description: 'North of the common.', boundary: BOUNDARY });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${LIST}?done=neighbourhood-created`);
    const list = JSON.parse((await f.app.inject(`/api/${FORCE}/neighbourhoods`)).body) as Array<{ id: string; name: string }>;
    assert.deepEqual(list.find((n) => n.id === 'north-end'), { id: 'north-end', name: 'North End &amp; Portswood' });
    const boundary = JSON.parse((await f.app.inject(`/api/${FORCE}/north-end/boundary`)).body) as unknown[];
    assert.equal(boundary.length, 5, 'the ring is closed');
    assert.deepEqual(JSON.parse((await f.app.inject('/api/locate-neighbourhood?q=50.96,-1.39')).body), { force: FORCE, neighbourhood: 'north-end' });
    const page = await f.app.inject({ url: `/neighbourhoods/${FORCE}/north-end`, headers: { accept: 'text/html' } });
    assert.match(page.body, /<h1[^>]*>North End &amp; Portswood<\/h1>/);
    const [entry] = await listAudit(getStore(), { limit: 1 });
    assert.deepEqual([entry?.action, entry?.subject_id], ['record.create', `${FORCE}/north-end`]);
    assert.equal((await f.app.inject(getPage(f.admin, `/staff/neighbourhoods/${FORCE}/north-end`))).statusCode, 200, 'and its pages can be edited');
  });

  it('renames and redescribes a neighbourhood, keeping or removing its boundary', async () => {
    const form = await f.app.inject(getPage(f.admin, `${LIST}/north-end/edit`));
    assert.match(form.body, /50\.95,-1\.4\n50\.97,-1\.4\n50\.97,-1\.38\n50\.95,-1\.38<\/textarea>/, 'the boundary as lines, without the closing point');
    assert.equal((await post(`${LIST}/north-end/edit`, { name: 'Portswood', description: '', boundary: BOUNDARY })).statusCode, 303);
    const n = JSON.parse((await f.app.inject(`/api/${FORCE}/north-end`)).body) as { name: string; description: string | null };
    assert.deepEqual([n.name, n.description], ['Portswood', null]);
    assert.equal((await post(`${LIST}/north-end/edit`, { name: '' })).statusCode, 400);
    assert.equal((await post(`${LIST}/north-end/edit`, { name: 'Portswood', boundary: '' })).statusCode, 303);
    assert.equal((await f.app.inject('/api/locate-neighbourhood?q=50.96,-1.39')).statusCode, 404, 'no boundary, not located');
    assert.equal((await f.app.inject(getPage(f.admin, `${LIST}/nowhere/edit`))).statusCode, 404);
  });

  it('sets up one team organisation per neighbourhood, to which officers can then be invited', async () => {
    const confirm = await f.app.inject(getPage(f.admin, `${LIST}/north-end/team`));
    assert.match(confirm.body, /Set up the Portswood neighbourhood team/);
    const res = await post(`${LIST}/north-end/team`, {});
    assert.equal(res.statusCode, 303);
    const orgs = await getStore().db.selectFrom('organisations').selectAll().where('neighbourhood_id', '=', 'north-end').execute();
    assert.equal(orgs.length, 1);
    assert.deepEqual([orgs[0]?.id, orgs[0]?.type, orgs[0]?.force_id, orgs[0]?.name], [`team-${FORCE}-north-end`, 'neighbourhood_team', FORCE, 'Portswood neighbourhood team']);
    await post(`${LIST}/north-end/team`, {});
    assert.equal((await getStore().db.selectFrom('organisations').select('id').where('neighbourhood_id', '=', 'north-end').execute()).length, 1, 'not twice');
    const [entry] = await listAudit(getStore(), { limit: 1 });
    assert.deepEqual([entry?.action, entry?.subject_type, entry?.subject_id], ['record.create', 'organisation', `team-${FORCE}-north-end`]);
    assert.match((await f.app.inject(getPage(f.admin, LIST))).body, /data-id="north-end"[\s\S]*?Portswood neighbourhood team/);
  });
});
