import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../audit/audit.repository.ts';
import { seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { DM1_1WZ, insertMembership, insertScheme, watchApp } from './schemes.test-helper.ts';

describeEachStore('coordinators reading members’ details are audited', (getStore) => {
  let app: FastifyInstance;
  let schemeId: string;
  let coordinatorId: string;
  before(async () => {
    app = await watchApp(getStore());
    schemeId = await insertScheme(getStore(), { name: 'Audited Close', centre: DM1_1WZ });
    const coordinator = await seedPerson(getStore(), { displayName: 'Cora' });
    coordinatorId = coordinator.id;
    await insertMembership(getStore(), schemeId, coordinator.id, 'coordinator', 'Cora');
    const member = await seedPerson(getStore(), { displayName: 'Mo' });
    await insertMembership(getStore(), schemeId, member.id, 'member', 'Mo');
  });

  it('writes one record.view per look at the members and the applications, naming the scheme, not the people', async () => {
    const who = await signedInAs(app, coordinatorId);
    for (const page of ['members', 'applications']) {
      const response = await app.inject({ url: `/watch/coordinate/${schemeId}/${page}`, headers: { cookie: who.cookie, accept: 'text/html' } });
      assert.equal(response.statusCode, 200, page);
    }
    const views = (await listAudit(getStore(), { actorId: coordinatorId })).filter((e) => e.action === 'record.view');
    assert.deepEqual(views.map((e) => [e.subject_type, e.subject_id, JSON.parse(e.details ?? '{}').page]).reverse(), [
      ['watch_scheme', schemeId, 'members'],
      ['watch_scheme', schemeId, 'applications'],
    ]);
    assert.ok(!views.some((e) => (e.details ?? '').includes('Mo')), 'the log holds no member’s details');
  });
});
