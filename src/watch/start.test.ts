import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { DM1_1WZ, east, errorSummary, getPage, policeForce, postForm, squareCorners, watchApp, watchAssociation } from './schemes.test-helper.ts';

const VALID = { name: 'Acacia Avenue', join_policy: 'approval', coordinator_name: 'Alice Example', street: 'Acacia Avenue', conduct: 'yes' };

describeEachStore('starting a Watch scheme', (getStore) => {
  let app: FastifyInstance;
  let founder: BrowserHeaders;
  let founderId: string;
  let adminEmail: string;
  let otherForceAdminEmail: string;

  before(async () => {
    app = await watchApp(getStore());
    const person = await seedPerson(getStore(), { email: 'alice@example.test', displayName: 'Alice Example' });
    founderId = person.id;
    founder = await signedInAs(app, person.id);
    adminEmail = (await seedPerson(getStore(), { roles: [{ role: 'watch_admin', organisation: watchAssociation('demo') }] })).email;
    otherForceAdminEmail = (await seedPerson(getStore(), { roles: [{ role: 'watch_admin', organisation: policeForce('elsewhere') }] })).email;
  });
  after(async () => {
    await app?.close();
  });

  const start = (fields: Record<string, string>, who = founder) => postForm(app, '/watch/start', who, fields);

  it('sends an anonymous visitor to sign in first', async () => {
    const page = await getPage(app, '/watch/start');
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/sign-in?next=%2Fwatch%2Fstart');
  });

  it('shows the form and the code of conduct', async () => {
    const page = await getPage(app, '/watch/start', founder);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="_csrf"/);
    assert.match(page.body, /id="poly"/);
    assert.match((await getPage(app, '/watch/code-of-conduct')).body, /Never take the law into your own hands/);
  });

  const polygonCases: [string, string, RegExp][] = [
    ['self-intersecting', '52.5245,0.7100\n52.5205,0.7160\n52.5245,0.7160\n52.5205,0.7100', /The edges of the area cross each other/],
    ['tiny', squareCorners(DM1_1WZ, 20), /The area is too small/],
    ['enormous', squareCorners({ latitude: 52.52, longitude: 0.74 }, 3500), /The area is too large for one scheme/],
    ['outside the force area', squareCorners({ latitude: 51.5, longitude: -0.12 }, 200), /The area must be inside Demoshire Constabulary’s area/],
    ['partly outside the force area', squareCorners({ latitude: 52.585, longitude: 0.70 }, 300), /The area must be inside Demoshire Constabulary’s area/],
    ['malformed', 'here,there\nnowhere', /Enter the area as corners in the form latitude,longitude/],
  ];
  for (const [label, poly, message] of polygonCases) {
    it(`refuses an area that is ${label}, with a message in the error summary`, async () => {
      const page = await start({ ...VALID, poly });
      assert.equal(page.statusCode, 400);
      assert.match(page.body, /<title>Error: /);
      const summary = errorSummary(page.body);
      assert.equal(summary.length, 1, summary.join(' | '));
      assert.match(summary[0]!, message);
      assert.match(page.body, /<a href="#poly">/);
      assert.match(page.body, /id="poly-error"/);
    });
  }

  it('lists every missing answer in form order and keeps what was typed', async () => {
    const page = await start({ name: '', coordinator_name: 'Alice', street: '' });
    assert.equal(page.statusCode, 400);
    assert.deepEqual(errorSummary(page.body), [
      'Enter a name for the scheme',
      'Draw the area on the map, type its corners, or enter a postcode and a distance around it',
      'Choose how people join the scheme',
      'Enter your street',
      'Agree to the code of conduct to start a scheme',
    ]);
    assert.match(page.body, /id="coordinator_name" name="coordinator_name" type="text" spellcheck="false" value="Alice"/);
  });

  it('makes the founder the coordinator of a pending scheme, audits it and tells the force’s Watch administrators', async () => {
    const db = getStore().db;
    const page = await start({ ...VALID, name: '<script>alert("x")</script> Close', poly: squareCorners(east(DM1_1WZ, 200), 150) });
    assert.equal(page.statusCode, 303, errorSummary(page.body).join(' | '));
    const id = /^\/watch\/schemes\/([a-z2-9]{10})$/.exec(page.headers.location as string)?.[1];
    assert.ok(id, `redirected to the scheme: ${page.headers.location}`);
    const scheme = await db.selectFrom('watch_schemes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(scheme.status, 'pending');
    assert.equal(scheme.badge, 'self_declared');
    assert.equal(scheme.force_id, 'demo');
    assert.equal(scheme.created_by, founderId);
    const members = await db.selectFrom('watch_memberships').selectAll().where('scheme_id', '=', id).execute();
    assert.deepEqual(members.map((m) => [m.person_id, m.role, m.status, m.name]), [[founderId, 'coordinator', 'active', 'Alice Example']]);
    const nh = await db.selectFrom('watch_scheme_neighbourhoods').select('neighbourhood_id').where('scheme_id', '=', id).execute();
    assert.deepEqual(nh.map((n) => n.neighbourhood_id), ['brackenford-town-centre']);
    const audit = await db.selectFrom('audit_log').selectAll().where('subject_id', '=', id).execute();
    assert.deepEqual(audit.map((a) => [a.action, a.subject_type, a.actor_id]), [['record.create', 'watch_scheme', founderId]]);
    const mail = await db.selectFrom('outbox').select(['to_address', 'text_body']).where('subject', 'like', '%waiting for approval%').execute();
    assert.deepEqual(mail.map((m) => m.to_address), [adminEmail], 'only the demo force’s Watch administrator is told');
    assert.ok(!mail.some((m) => m.to_address === otherForceAdminEmail));
    assert.match(mail[0]!.text_body, new RegExp(`/watch/admin/schemes/${id}`));

    // The founder sees the pending scheme; what they typed is text, never markup.
    const own = await getPage(app, `/watch/schemes/${id}`, founder);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /waiting for an area administrator to approve it/);
    assert.match(own.body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; Close/);
    assert.doesNotMatch(own.body, /<script>alert/);
    // Nobody else does.
    assert.equal((await getPage(app, `/watch/schemes/${id}`)).statusCode, 404);
  });

  it('accepts a distance around a postcode, and a scheme across a neighbourhood boundary lies in both', async () => {
    const db = getStore().db;
    const byPostcode = await start({ ...VALID, name: 'Postcode Circle', postcode: 'dm1 1wz', radius: '0.25' });
    assert.equal(byPostcode.statusCode, 303, errorSummary(byPostcode.body).join(' | '));
    const circleId = (byPostcode.headers.location as string).split('/').pop()!;
    const circle = await db.selectFrom('watch_schemes').select(['area', 'centre_latitude']).where('id', '=', circleId).executeTakeFirstOrThrow();
    assert.equal((JSON.parse(circle.area) as unknown[]).length, 25, '24 corners and the closing one');
    assert.ok(Math.abs(circle.centre_latitude - DM1_1WZ.latitude) < 0.0005);

    // Brackenford Town Centre meets Riverside near longitude 0.7365 at this latitude.
    const other = await seedPerson(getStore());
    const across = await start({ ...VALID, name: 'Boundary Road', poly: squareCorners({ latitude: 52.52, longitude: 0.7365 }, 300) }, await signedInAs(app, other.id));
    assert.equal(across.statusCode, 303, errorSummary(across.body).join(' | '));
    const acrossId = (across.headers.location as string).split('/').pop()!;
    const nh = await db.selectFrom('watch_scheme_neighbourhoods').select('neighbourhood_id').where('scheme_id', '=', acrossId).orderBy('neighbourhood_id').execute();
    assert.deepEqual(nh.map((n) => n.neighbourhood_id), ['brackenford-riverside', 'brackenford-town-centre']);
  });

  it('refuses a fourth scheme from one person while three wait for approval', async () => {
    const person = await seedPerson(getStore());
    const who = await signedInAs(app, person.id);
    for (let i = 0; i < 3; i++) {
      const ok = await start({ ...VALID, name: `Street ${i}`, poly: squareCorners(east(DM1_1WZ, 400 * i), 150) }, who);
      assert.equal(ok.statusCode, 303);
    }
    const refused = await start({ ...VALID, name: 'Street 4', poly: squareCorners(east(DM1_1WZ, 1600), 150) }, who);
    assert.equal(refused.statusCode, 400);
    assert.match(errorSummary(refused.body)[0] ?? '', /You already have 3 schemes waiting for approval/);
  });

  it('refuses a form without its CSRF token', async () => {
    const page = await app.inject({
      method: 'POST',
      url: '/watch/start',
      headers: { cookie: founder.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...VALID, poly: squareCorners(DM1_1WZ, 150) }).toString(),
    });
    assert.equal(page.statusCode, 403);
  });
});
