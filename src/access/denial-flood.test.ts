/**
 * Refused requests must stay auditable without flooding the audit chain: the first
 * refusal of a request is recorded in full, repeats are counted and summarised in one
 * later entry, and someone who keeps being refused is throttled (429).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { verifyAuditChain } from '../audit/audit-verify.ts';
import { loadConfig } from '../config.ts';
import { runHousekeeping } from '../sessions/housekeeping.ts';
import { seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { ACCESS_DENIALS } from '../throttle/throttle.policies.ts';

const config = loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' });

describeEachStore('refused requests in the audit log', (getStore) => {
  let store: Store;
  let app: FastifyInstance;
  const clock = { now: new Date('2026-03-02T09:00:00.000Z') };
  before(async () => {
    store = getStore();
    app = await buildApp(store, config, { now: () => clock.now });
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  const advance = (seconds: number) => {
    clock.now = new Date(clock.now.getTime() + seconds * 1000);
  };
  const entriesOf = async (personId: string) =>
    store.db.selectFrom('audit_log').select(['sequence', 'action', 'details']).where('actor_id', '=', personId).orderBy('sequence').execute();
  const refuse = async (cookie: string, url = '/admin/audit') => app.inject({ url, headers: { cookie, accept: 'text/html' } });

  it('records the first of 300 refusals in full, summarises the rest in one entry, throttles the repeats, and keeps the chain valid', async () => {
    const resident = await seedPerson(store);
    const me = await signedInAs(app, resident.id, 'full', clock.now);
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const response = await refuse(me.cookie);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) assert.ok(Number(response.headers['retry-after']) > 0, 'a throttled answer says when to try again');
    }
    const answered403 = 1 + ACCESS_DENIALS.repeatsBeforeThrottle;
    assert.deepEqual(statuses, [...Array<number>(answered403).fill(403), ...Array<number>(300 - answered403).fill(429)]);

    const during = await entriesOf(resident.id);
    assert.deepEqual(during.map((e) => e.action), ['access.denied'], 'one entry while the repeats are counted');
    assert.deepEqual(JSON.parse(during[0]!.details!), { wanted: 'audit.view', method: 'GET', route: '/admin/audit', target: null });

    // The window closes: housekeeping writes the summary, and nothing is left to write twice.
    advance(ACCESS_DENIALS.windowSeconds + 1);
    await runHousekeeping(app.ctx);
    await runHousekeeping(app.ctx);
    const afterwards = await entriesOf(resident.id);
    assert.deepEqual(afterwards.map((e) => e.action), ['access.denied', 'access.denied.repeated']);
    const summary = JSON.parse(afterwards[1]!.details!) as Record<string, unknown>;
    assert.equal(summary.count, 299);
    assert.equal(summary.throttled, 289);
    assert.deepEqual([summary.wanted, summary.method, summary.route, summary.target], ['audit.view', 'GET', '/admin/audit', null]);
    assert.equal(summary.firstAt, '2026-03-02T09:00:00.000Z');

    const chain = await verifyAuditChain(store);
    assert.equal(chain.ok, true);
  });

  it('writes the summary when the next refusal comes after the window, then starts a new one', async () => {
    const resident = await seedPerson(store);
    const me = await signedInAs(app, resident.id, 'full', clock.now);
    for (let i = 0; i < 5; i++) assert.equal((await refuse(me.cookie)).statusCode, 403);
    advance(ACCESS_DENIALS.windowSeconds + 1);
    const fresh = await signedInAs(app, resident.id, 'full', clock.now);
    assert.equal((await refuse(fresh.cookie)).statusCode, 403);
    const entries = await entriesOf(resident.id);
    assert.deepEqual(entries.map((e) => e.action), ['access.denied', 'access.denied.repeated', 'access.denied']);
    assert.equal((JSON.parse(entries[1]!.details!) as { count: number }).count, 4);
    assert.equal((await verifyAuditChain(store)).ok, true);
  });

  it('records each different refusal in full, and counts one actor’s refusals however they vary', async () => {
    const resident = await seedPerson(store);
    const me = await signedInAs(app, resident.id, 'full', clock.now);
    assert.equal((await refuse(me.cookie, '/staff/neighbourhoods/demo/DM01')).statusCode, 403);
    assert.equal((await refuse(me.cookie, '/staff/neighbourhoods/demo/DM02')).statusCode, 403);
    assert.equal((await refuse(me.cookie, '/admin/audit')).statusCode, 403);
    const entries = await entriesOf(resident.id);
    assert.deepEqual(entries.map((e) => e.action), ['access.denied', 'access.denied', 'access.denied']);
    assert.deepEqual(entries.map((e) => (JSON.parse(e.details!) as { target: unknown }).target), [
      { forceId: 'demo', neighbourhoodId: 'DM01' },
      { forceId: 'demo', neighbourhoodId: 'DM02' },
      null,
    ]);
  });
});
