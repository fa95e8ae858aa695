import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { describeEachStore } from '../store/test-stores.ts';
import { buildDemo } from './demo.service.ts';
import { DEMO_AREAS } from './geography.ts';
import { DEMO_FORCE_ORGANISATION_ID, DEMO_WATCH_ASSOCIATION_ID, demoTeamOrganisationId } from './organisations.ts';

describeEachStore('demo organisations', (getStore) => {
  before(async () => {
    await buildDemo(getStore(), { months: 1 });
  });

  it('are the force, its Watch association, one team per neighbourhood and the platform operator, with nobody in them', async () => {
    const db = getStore().db;
    const rows = await db.selectFrom('organisations').select(['id', 'name', 'type', 'tier', 'force_id', 'neighbourhood_id', 'status']).orderBy('id').execute();
    const force = rows.find((r) => r.id === DEMO_FORCE_ORGANISATION_ID);
    assert.deepEqual(force, { id: 'force-demo', name: 'Demoshire Constabulary', type: 'police_force', tier: 'local', force_id: 'demo', neighbourhood_id: null, status: 'active' });
    const teams = rows.filter((r) => r.type === 'neighbourhood_team');
    const neighbourhoods = await db.selectFrom('neighbourhoods').select(['id', 'name']).where('force_id', '=', 'demo').orderBy('id').execute();
    assert.equal(neighbourhoods.length, DEMO_AREAS.length);
    assert.deepEqual(teams.map((t) => [t.id, t.force_id, t.neighbourhood_id]).sort(), neighbourhoods.map((n) => [demoTeamOrganisationId(n.id), 'demo', n.id]).sort());
    for (const n of neighbourhoods) assert.ok(teams.some((t) => t.name === `${n.name} neighbourhood policing team`), n.id);
    const platform = rows.find((r) => r.id === 'platform');
    assert.deepEqual(platform && [platform.type, platform.tier], ['platform', 'national']);
    const association = rows.find((r) => r.id === DEMO_WATCH_ASSOCIATION_ID);
    assert.deepEqual(association && [association.type, association.force_id], ['watch_association', 'demo']);
    assert.equal(rows.length, neighbourhoods.length + 3);
    // No default accounts (ASVS 6.3.2).
    for (const table of ['people', 'memberships', 'sessions'] as const) {
      const count = await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0, table);
    }
  });

  it('are the same after another build, keeping a suspension an administrator made', async () => {
    const db = getStore().db;
    const team = demoTeamOrganisationId(DEMO_AREAS[0]!.id);
    await db.updateTable('organisations').set({ status: 'suspended' }).where('id', '=', team).execute();
    const before = await db.selectFrom('organisations').selectAll().orderBy('id').execute();
    await buildDemo(getStore(), { months: 1 });
    const after = await db.selectFrom('organisations').selectAll().orderBy('id').execute();
    assert.deepEqual(after, before);
    assert.equal(after.find((o) => o.id === team)?.status, 'suspended');
  });
});
