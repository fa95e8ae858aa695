import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { peekAccountToken } from '../accounts/account-tokens.repository.ts';
import type { Person } from '../accounts/people.repository.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { PLATFORM_ORGANISATION, seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { adminApp, assertRedirect, auditAfter, council, get, lastSequence, oneChange, post } from './admin.test-helper.ts';

function sequencesIn(body: string): number[] {
  return [...body.matchAll(/data-sequence="(\d+)"/g)].map((m) => Number(m[1]));
}

describeEachStore('administration: a person’s page', (getStore) => {
  let app: FastifyInstance;
  const A = council('Trail Council');
  const C = council('Elsewhere Council');
  let adminA: Person, worker: Person;
  let asAdminA: BrowserHeaders, asPlatform: BrowserHeaders;
  const page = (person: Person, suffix = '') => `/admin/organisations/${A.id}/people/${person.id}${suffix}`;

  before(async () => {
    const store = getStore();
    app = await adminApp(store);
    adminA = await seedPerson(store, { roles: [{ role: 'org_admin', organisation: A }] });
    const platform = await seedPerson(store, { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    worker = await seedPerson(store, { displayName: 'Wendy Worker', roles: [{ role: 'member', organisation: A }, { role: 'member', organisation: C }] });
    asAdminA = await signedInAs(app, adminA.id);
    asPlatform = await signedInAs(app, platform.id);
    for (let i = 0; i < 25; i++) await appendAudit(store, { action: 'record.view', actorId: worker.id, actorOrg: A.id, subjectType: 'report', subjectId: `mine-${i}` });
    for (let i = 0; i < 3; i++) await appendAudit(store, { action: 'record.update', actorId: worker.id, actorOrg: C.id, subjectType: 'report', subjectId: `elsewhere-${i}` });
    await appendAudit(store, { action: 'record.view', actorId: adminA.id, actorOrg: A.id, subjectType: 'person', subjectId: worker.id });
  });
  after(async () => app?.close());

  it('shows what the person did, newest first, 20 at a time, and records that it was looked at', async () => {
    const store = getStore();
    const since = await lastSequence(store);
    const first = await get(app, page(worker), asAdminA);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Wendy Worker/);
    const one = sequencesIn(first.body);
    assert.equal(one.length, 20);
    const older = /href="([^"]+)" rel="next" id="trail-older"/.exec(first.body)?.[1];
    assert.ok(older);
    const second = await get(app, older.replace(/&amp;/g, '&'), asAdminA);
    const two = sequencesIn(second.body);
    assert.equal(two.length, 5);
    assert.ok(!second.body.includes('id="trail-older"'));
    const all = [...one, ...two];
    assert.deepEqual(all, [...all].sort((a, b) => b - a));
    const rows = await store.db.selectFrom('audit_log').select(['actor_id', 'actor_org']).where('sequence', 'in', all).execute();
    assert.ok(rows.every((r) => r.actor_id === worker.id && r.actor_org === A.id), 'only their own actions, only for this organisation');
    assert.ok(!first.body.includes('elsewhere-') && !second.body.includes('elsewhere-'));
    assert.match(first.body, /Only what they did as a member of/);
    const views = (await auditAfter(store, since)).filter((e) => e.action === 'record.view' && e.subject_type === 'person');
    assert.equal(views.length, 2);
    assert.ok(views.every((e) => e.actor_id === adminA.id && e.subject_id === worker.id && e.actor_org === A.id));
  });

  it('shows a platform administrator the whole trail and the other organisations by name', async () => {
    const res = await get(app, page(worker), asPlatform);
    assert.match(res.body, /elsewhere-2/);
    assert.ok(res.body.includes(C.name));
    assert.ok(!res.body.includes('Only what they did as a member of'));
  });

  it('sends a new invitation to someone who has not set up their account, with one entry', async () => {
    const store = getStore();
    const email = `pending-${Date.now()}@example.test`;
    await post(app, `/admin/organisations/${A.id}/people/invite`, asAdminA, { email, name: 'Pat Pending', role: 'member' });
    const pending = (await store.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirstOrThrow()) as unknown as Person;
    const shown = await get(app, page(pending), asAdminA);
    assert.match(shown.body, /Send a new invitation/);
    assert.match(shown.body, /govuk-tag--blue">\s*Invited/);
    const since = await lastSequence(store);
    assertRedirect(await post(app, page(pending, '/invitation'), asAdminA), `${page(pending)}?done=invitation-resent`);
    assert.deepEqual((await oneChange(store, since, 'account.invite')).parsed, { organisationId: A.id, role: 'member', resent: true });
    const mail = await store.db.selectFrom('outbox').select('text_body').where('to_address', '=', email).orderBy('id').execute();
    assert.equal(mail.length, 2);
    const token = /invitation\?token=([A-Za-z0-9_-]{43})/.exec(mail[1]!.text_body)?.[1];
    assert.ok(token && (await peekAccountToken(store.db, 'invite', token, new Date())));
    const active = await post(app, page(worker, '/invitation'), asAdminA);
    assert.equal(active.statusCode, 400);
    assert.match(active.body, /Only someone who has not yet accepted an invitation/);
  });
});
