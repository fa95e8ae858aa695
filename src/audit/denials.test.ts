import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { verifyAuditChain } from './audit-verify.ts';
import type { DenialPolicy } from '../throttle/throttle.repository.ts';
import { recordDenial, summariseDenials, type Denial } from './denials.repository.ts';

const SECRET = 'a-test-secret-key-of-at-least-32-characters';
const POLICY: DenialPolicy = { windowSeconds: 600, repeatsBeforeThrottle: 2, perActor: { limit: 5, windowSeconds: 600 } };
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describeEachStore('refusals counted and summarised', (getStore) => {
  let store: Store;
  before(() => {
    store = getStore();
  });

  const denial = (actorId: string, target: Record<string, unknown> | null): Denial => ({
    actorId, actorOrg: null, clientAddress: '203.0.113.9', wanted: 'person.view', method: 'GET', route: '/admin/organisations/:org/people/:person', target,
  });
  const entriesOf = async (actorId: string) =>
    (await store.db.selectFrom('audit_log').select(['action', 'details']).where('actor_id', '=', actorId).orderBy('sequence').execute()).map((e) => ({
      action: e.action,
      details: JSON.parse(e.details ?? 'null') as Record<string, unknown>,
    }));

  it('audits different targets in full up to the per-actor limit, then throttles and counts per route without targets', async () => {
    const actorId = 'prober-1';
    const answers: boolean[] = [];
    for (let i = 1; i <= 12; i++) answers.push((await recordDenial(store, SECRET, denial(actorId, { organisationId: 'org', personId: `p${i}` }), POLICY, at(i))).throttled);
    assert.deepEqual(answers, [false, false, false, false, false, true, true, true, true, true, true, true]);
    assert.equal((await entriesOf(actorId)).length, 5, 'one entry for each of the first five');

    assert.equal(await summariseDenials(store, POLICY, at(POLICY.windowSeconds + 20)), 1);
    const entries = await entriesOf(actorId);
    assert.equal(entries.length, 6);
    const summary = entries[5]!;
    assert.equal(summary.action, 'access.denied.repeated');
    assert.deepEqual(summary.details, {
      wanted: 'person.view', method: 'GET', route: '/admin/organisations/:org/people/:person', target: null,
      count: 7, throttled: 7, firstAt: at(6).toISOString(), lastAt: at(12).toISOString(), overActorLimit: true,
    });
    assert.equal((await verifyAuditChain(store)).ok, true);
    assert.equal((await store.db.selectFrom('access_denials').select('key').where('actor_id', '=', actorId).execute()).length, 0, 'summarised rows are gone');
  });

  it('counts every one of many simultaneous refusals exactly once, and the chain stays whole', async () => {
    const actorId = 'prober-2';
    const generous = { ...POLICY, repeatsBeforeThrottle: 1000, perActor: { limit: 1000, windowSeconds: 600 } };
    await Promise.all(Array.from({ length: 40 }, () => recordDenial(store, SECRET, denial(actorId, { organisationId: 'org' }), generous, at(1))));
    assert.equal((await entriesOf(actorId)).length, 1);
    await summariseDenials(store, generous, at(generous.windowSeconds + 2));
    const entries = await entriesOf(actorId);
    assert.deepEqual(entries.map((e) => [e.action, e.details.count]), [['access.denied', undefined], ['access.denied.repeated', 39]]);
    assert.equal((await verifyAuditChain(store)).ok, true);
  });

  it('summarises nothing for a refusal that was not repeated, and leaves running windows alone', async () => {
    const actorId = 'once-1';
    await recordDenial(store, SECRET, denial(actorId, null), POLICY, at(0));
    await recordDenial(store, SECRET, denial('running-1', null), POLICY, at(POLICY.windowSeconds));
    await recordDenial(store, SECRET, denial('running-1', null), POLICY, at(POLICY.windowSeconds + 1));
    await summariseDenials(store, POLICY, at(POLICY.windowSeconds + 2));
    assert.deepEqual((await entriesOf(actorId)).map((e) => e.action), ['access.denied']);
    assert.deepEqual((await entriesOf('running-1')).map((e) => e.action), ['access.denied']);
    assert.equal((await store.db.selectFrom('access_denials').select('pending').where('actor_id', '=', 'running-1').executeTakeFirst())?.pending, 1);
  });

  it('drops a client address the log would refuse rather than keep it for the summary', async () => {
    await recordDenial(store, SECRET, { ...denial('odd-address', null), clientAddress: 'not an address' }, POLICY, at(0));
    const [entry] = await store.db.selectFrom('audit_log').select('client_address').where('actor_id', '=', 'odd-address').execute();
    assert.equal(entry?.client_address, null);
  });
});
