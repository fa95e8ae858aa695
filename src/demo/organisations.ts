/**
 * The demo force's organisations: Demoshire Constabulary itself, its Neighbourhood
 * Watch association, one neighbourhood policing team per demo neighbourhood, and the
 * platform operator. No people: there
 * are no default accounts (ASVS 6.3.2); `safe-communities create-admin` makes the
 * first administrator, who invites everyone else.
 */
import type { Kysely } from 'kysely';
import type { NewOrganisation } from '../organisations/organisations.repository.ts';
import type { Database } from '../store/database.ts';
import { DEMO_FORCE_ID, DEMO_FORCE_NAME } from './neighbourhoods.ts';

export const DEMO_FORCE_ORGANISATION_ID = `force-${DEMO_FORCE_ID}`;
export const DEMO_WATCH_ASSOCIATION_ID = `watch-${DEMO_FORCE_ID}`;

/** Ids follow the test helpers' convention: `force-<force>` and `team-<force>-<neighbourhood>`. */
export function demoTeamOrganisationId(neighbourhoodId: string): string {
  return `team-${DEMO_FORCE_ID}-${neighbourhoodId}`.toLowerCase();
}

export function demoOrganisations(neighbourhoods: readonly { id: string; name: string }[]): NewOrganisation[] {
  return [
    { id: DEMO_FORCE_ORGANISATION_ID, name: DEMO_FORCE_NAME, type: 'police_force', tier: 'local', forceId: DEMO_FORCE_ID },
    // Approves and verifies the demo's Neighbourhood Watch schemes once someone is given its watch_admin role.
    { id: DEMO_WATCH_ASSOCIATION_ID, name: 'Demoshire Neighbourhood Watch Association', type: 'watch_association', tier: 'local', forceId: DEMO_FORCE_ID },
    ...neighbourhoods.map((n): NewOrganisation => ({
      id: demoTeamOrganisationId(n.id),
      name: `${n.name} neighbourhood policing team`,
      type: 'neighbourhood_team',
      tier: 'local',
      forceId: DEMO_FORCE_ID,
      neighbourhoodId: n.id,
    })),
  ];
}

const PLATFORM: NewOrganisation = { id: 'platform', name: 'Platform operator', type: 'platform', tier: 'national' };

/**
 * Creates or updates the demo organisations; running it again changes nothing. An
 * organisation's status (an administrator may have suspended it) and its members
 * are left alone, and an existing 'platform' organisation is not touched at all.
 */
export async function saveDemoOrganisations(db: Kysely<Database>, neighbourhoods: readonly { id: string; name: string }[], now = new Date()): Promise<number> {
  const rows = demoOrganisations(neighbourhoods);
  await db.transaction().execute(async (trx) => {
    for (const org of rows) {
      const values = { id: org.id, name: org.name, type: org.type, tier: org.tier, force_id: org.forceId ?? null, neighbourhood_id: org.neighbourhoodId ?? null };
      await trx
        .insertInto('organisations')
        .values({ ...values, status: 'active', created_at: now.toISOString() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: values.name, type: values.type, tier: values.tier, force_id: values.force_id, neighbourhood_id: values.neighbourhood_id }))
        .execute();
    }
    await trx
      .insertInto('organisations')
      .values({ id: PLATFORM.id, name: PLATFORM.name, type: PLATFORM.type, tier: PLATFORM.tier, force_id: null, neighbourhood_id: null, status: 'active', created_at: now.toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  });
  return rows.length + 1;
}
