import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { activeMemberCount, findScheme, isPointInScheme, schemeCoordinatorFirstName } from './schemes.repository.ts';
import { DM1_1WZ, east, getPage, insertMembership, insertScheme, watchApp, watchAssociation } from './schemes.test-helper.ts';

describeEachStore('a Watch scheme’s page', (getStore) => {
  let app: FastifyInstance;
  let active: string;
  let coordinatorEmail: string;

  before(async () => {
    const store = getStore();
    app = await watchApp(store);
    active = await insertScheme(store, { name: 'Elm Close', centre: DM1_1WZ, badge: 'association_verified' });
    const coordinator = await seedPerson(store, { email: 'chris.private@example.test', displayName: 'Chris Private' });
    coordinatorEmail = coordinator.email;
    await insertMembership(store, active, coordinator.id, 'coordinator', 'Christine <b>Bold</b> Surname');
    for (const name of ['Member One', 'Member Two']) await insertMembership(store, active, (await seedPerson(store)).id, 'member', name);
    const gone = await seedPerson(store);
    await insertMembership(store, active, gone.id, 'member', 'Gone Member');
    await store.db.updateTable('watch_memberships').set({ status: 'left' }).where('person_id', '=', gone.id).execute();
    await store.db.insertInto('watch_scheme_neighbourhoods').values({ scheme_id: active, force_id: 'demo', neighbourhood_id: 'brackenford-town-centre' }).execute();
    const news = (title: string, isPublic: number, at: string) =>
      store.db.insertInto('watch_news').values({ scheme_id: active, title, body: 'First line\n<script>alert(1)</script>', public: isPublic, author_person_id: coordinator.id, created_at: at }).execute();
    await news('Older news', 1, '2026-01-01T10:00:00.000Z');
    await news('Members only', 0, '2026-02-01T10:00:00.000Z');
    await news('Newer news', 1, '2026-03-01T10:00:00.000Z');
  });
  after(async () => {
    await app?.close();
  });

  it('shows the coordinator’s first name only, the active member count, the neighbourhood, badge and links', async () => {
    const page = await getPage(app, `/watch/schemes/${active}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Coordinator\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Christine\s*<\/dd>/);
    assert.doesNotMatch(page.body, /Surname|Bold|Chris Private/);
    assert.ok(!page.body.includes(coordinatorEmail) && !page.body.includes('@example.test'), 'no email address on the page');
    assert.match(page.body, /Members\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*<\/dd>/);
    assert.match(page.body, /href="\/neighbourhoods\/demo\/brackenford-town-centre">Brackenford Town Centre<\/a>/);
    assert.match(page.body, /Verified by the Neighbourhood Watch association/);
    assert.match(page.body, new RegExp(`href="/watch/schemes/${active}/apply"`));
    assert.match(page.body, new RegExp(`href="/watch/schemes/${active}/message"`));
  });

  it('shows a circle, not the drawn outline', async () => {
    const page = await getPage(app, `/watch/schemes/${active}`);
    const data = /data-schemes="([^"]*)"/.exec(page.body)?.[1]?.replace(/&quot;/g, '"') ?? '[]';
    const [circle] = JSON.parse(data) as { lat: number; lng: number; radius: number }[];
    assert.ok(circle && circle.radius >= 250 && circle.radius % 250 === 0);
    assert.equal(Math.round(circle.lat * 500), circle.lat * 500, 'centre snapped to the grid');
    const scheme = await findScheme(getStore().db, active);
    for (const [lat, lng] of JSON.parse(scheme!.area) as [number, number][]) assert.ok(!page.body.includes(String(lat)) || !page.body.includes(String(lng)));
  });

  it('shows public news only, newest first, as text', async () => {
    const page = await getPage(app, `/watch/schemes/${active}`);
    assert.match(page.body, /Newer news[\s\S]*Older news/);
    assert.doesNotMatch(page.body, /Members only/);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(page.body, /<script>alert/);
  });

  it('hides a pending scheme from everyone but its coordinators and the area’s administrators', async () => {
    const store = getStore();
    const pending = await insertScheme(store, { name: 'Awaiting Street', centre: east(DM1_1WZ, 800), status: 'pending' });
    const founder = await seedPerson(store);
    await insertMembership(store, pending, founder.id, 'coordinator', 'Frankie Founder');
    const admin = await seedPerson(store, { roles: [{ role: 'watch_admin', organisation: watchAssociation('demo') }] });
    const stranger = await seedPerson(store);
    assert.equal((await getPage(app, `/watch/schemes/${pending}`)).statusCode, 404);
    assert.equal((await getPage(app, `/watch/schemes/${pending}`, await signedInAs(app, stranger.id))).statusCode, 404);
    const own = await getPage(app, `/watch/schemes/${pending}`, await signedInAs(app, founder.id));
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /id="scheme-notice"/);
    assert.doesNotMatch(own.body, /id="apply-link"/, 'nobody can apply to a pending scheme');
    const asAdmin = await getPage(app, `/watch/schemes/${pending}`, await signedInAs(app, admin.id));
    assert.equal(asAdmin.statusCode, 200);
    assert.match(asAdmin.body, new RegExp(`href="/watch/admin/schemes/${pending}"`));
    const closed = await insertScheme(store, { name: 'Closed Street', centre: east(DM1_1WZ, 900), status: 'closed' });
    assert.equal((await getPage(app, `/watch/schemes/${closed}`)).statusCode, 404);
    assert.equal((await getPage(app, '/watch/schemes/nosuchsche')).statusCode, 404);
    assert.equal((await getPage(app, '/watch/schemes/..%2Fadmin')).statusCode, 404);
  });

  it('exports what the members’ routes build on', async () => {
    const db = getStore().db;
    assert.equal(await schemeCoordinatorFirstName(db, active), 'Christine');
    assert.equal(await activeMemberCount(db, active), 3);
    const scheme = await findScheme(db, active);
    assert.ok(scheme);
    assert.equal(isPointInScheme(scheme, DM1_1WZ.latitude, DM1_1WZ.longitude), true);
    const outside = east(DM1_1WZ, 400);
    assert.equal(isPointInScheme(scheme, outside.latitude, outside.longitude), false);
    assert.equal(await findScheme(db, 'missing'), undefined);
    assert.equal(await schemeCoordinatorFirstName(db, 'missing'), undefined);
  });
});
