/**
 * The people and records the authorisation matrix test runs against: one person per
 * kind of role, each with something of their own and something of someone else's,
 * so every route is tried inside and outside every scope.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '../access/permissions.ts';
import { createPerson } from '../accounts/people.repository.ts';
import { enqueueMail } from '../mail/outbox.repository.ts';
import { seedFixtures } from '../neighbourhoods/neighbourhoods.fixtures.ts';
import { addMembership, type NewOrganisation } from '../organisations/organisations.repository.ts';
import { ensureOrganisation, forceOrganisation, PLATFORM_ORGANISATION, seedPerson, teamOrganisation } from '../sessions/session.test-helper.ts';
import { assignMemberIds } from '../staff/team.repository.ts';
import type { Store } from '../store/store.ts';
import { createThread } from '../watch/relay.repository.ts';
import { insertMembership, insertScheme } from '../watch/schemes.test-helper.ts';

/** The fixture forces and neighbourhoods (src/neighbourhoods/neighbourhoods.fixtures.ts). */
export const FORCE = 'hampshire';
export const OWN_NEIGHBOURHOOD = 'SO1';
export const SAME_FORCE_NEIGHBOURHOOD = 'SO2';
export const OTHER_FORCE = 'leicestershire';
export const OTHER_FORCE_NEIGHBOURHOOD = 'NC04';

export const COUNCIL_A: NewOrganisation = { id: 'council-a', name: 'Council A', type: 'local_authority', tier: 'local', forceId: FORCE };
export const COUNCIL_B: NewOrganisation = { id: 'council-b', name: 'Council B', type: 'local_authority', tier: 'local', forceId: FORCE };
const WATCH_ASSOCIATION: NewOrganisation = { id: 'watch-hampshire', name: 'Hampshire Watch Association', type: 'watch_association', tier: 'local', forceId: FORCE };

export const PERSONAS = [
  'anonymous',
  'resident',
  'member',
  'neighbourhood_officer',
  'force_admin',
  'other_force_admin',
  'org_admin',
  'auditor',
  'platform_admin',
  'watch_admin',
  'content_editor',
  'scheme_coordinator',
  'scheme_deputy',
  'scheme_member',
] as const;
export type Persona = (typeof PERSONAS)[number];

const ORGANISATION_ROLES: Partial<Record<Persona, { role: Role; organisation: NewOrganisation }>> = {
  member: { role: 'member', organisation: COUNCIL_A },
  neighbourhood_officer: { role: 'neighbourhood_officer', organisation: teamOrganisation(FORCE, OWN_NEIGHBOURHOOD) },
  force_admin: { role: 'force_admin', organisation: forceOrganisation(FORCE) },
  other_force_admin: { role: 'force_admin', organisation: forceOrganisation(OTHER_FORCE) },
  org_admin: { role: 'org_admin', organisation: COUNCIL_A },
  auditor: { role: 'auditor', organisation: COUNCIL_A },
  platform_admin: { role: 'platform_admin', organisation: PLATFORM_ORGANISATION },
  watch_admin: { role: 'watch_admin', organisation: WATCH_ASSOCIATION },
  content_editor: { role: 'content_editor', organisation: forceOrganisation(FORCE) },
};

const SCHEME_ROLES: Partial<Record<Persona, 'coordinator' | 'deputy' | 'member'>> = {
  scheme_coordinator: 'coordinator',
  scheme_deputy: 'deputy',
  scheme_member: 'member',
};

export interface MatrixFixture {
  personIds: Partial<Record<Persona, string>>;
  /** Two schemes in the persona's force (the first is theirs) and one in another force. */
  schemes: { own: string; sameForce: string; otherForce: string };
  /** A message thread in each scheme. */
  threads: Record<'own' | 'sameForce' | 'otherForce', string>;
  outboxMessageId: number;
}

const CENTRES = {
  own: { latitude: 50.91, longitude: -1.40 },
  sameForce: { latitude: 50.93, longitude: -1.38 },
  otherForce: { latitude: 52.63, longitude: -1.13 },
};

export async function seedMatrix(store: Store): Promise<MatrixFixture> {
  await seedFixtures(store.db);
  for (const [forceId, id] of [[FORCE, OWN_NEIGHBOURHOOD], [FORCE, SAME_FORCE_NEIGHBOURHOOD], [OTHER_FORCE, OTHER_FORCE_NEIGHBOURHOOD]] as const) {
    await assignMemberIds(store.db, forceId, id);
  }
  await ensureOrganisation(store, COUNCIL_B);
  const personIds: Partial<Record<Persona, string>> = {};
  for (const persona of PERSONAS) {
    if (persona === 'anonymous') continue;
    const grant = ORGANISATION_ROLES[persona];
    const person = await seedPerson(store, { displayName: persona, roles: grant ? [grant] : [] });
    personIds[persona] = person.id;
  }
  const schemes = {
    own: await insertScheme(store, { name: 'Own Scheme', centre: CENTRES.own, forceId: FORCE }),
    sameForce: await insertScheme(store, { name: 'Neighbouring Scheme', centre: CENTRES.sameForce, forceId: FORCE }),
    otherForce: await insertScheme(store, { name: 'Far Scheme', centre: CENTRES.otherForce, forceId: OTHER_FORCE }),
  };
  for (const [persona, role] of Object.entries(SCHEME_ROLES) as [Persona, 'coordinator' | 'deputy' | 'member'][]) {
    await insertMembership(store, schemes.own, personIds[persona]!, role, persona);
  }
  // Each other scheme has a coordinator of its own, so nothing there is left unled.
  for (const scheme of [schemes.sameForce, schemes.otherForce]) {
    const lead = await seedPerson(store, { displayName: 'Other coordinator' });
    await insertMembership(store, scheme, lead.id, 'coordinator', 'Other coordinator');
  }
  const threads = { own: '', sameForce: '', otherForce: '' };
  for (const key of Object.keys(threads) as (keyof typeof threads)[]) {
    threads[key] = randomBytes(12).toString('base64url');
    await createThread(store.db, {
      id: threads[key],
      schemeId: schemes[key],
      senderPersonId: null,
      senderName: 'A neighbour',
      senderEmail: 'neighbour@example.test',
      tokenHash: randomBytes(32).toString('hex'),
      subject: 'A question',
      body: 'Hello',
      now: new Date(),
    });
  }
  const message = await enqueueMail(store.db, { to: 'someone@example.test', subject: 'Hello', text: 'Hello', html: '<p>Hello</p>', template: 'notice' }, new Date());
  return { personIds, schemes, threads, outboxMessageId: message.id };
}

/**
 * Puts back what a POST in the matrix may have changed (a suspended organisation, a
 * closed scheme, a removed role), so every cell starts from the same state.
 */
export async function restoreMatrix(store: Store, fixture: MatrixFixture): Promise<void> {
  const db = store.db;
  await db.updateTable('organisations').set({ status: 'active' }).execute();
  await db.updateTable('people').set({ status: 'active' }).where('id', 'in', Object.values(fixture.personIds)).execute();
  for (const [persona, grant] of Object.entries(ORGANISATION_ROLES) as [Persona, { role: Role; organisation: NewOrganisation }][]) {
    await addMembership(db, fixture.personIds[persona]!, grant.organisation.id, grant.role, null);
  }
  await db.updateTable('watch_schemes').set({ status: 'active', merged_into: null }).where('id', 'in', Object.values(fixture.schemes)).execute();
  for (const [persona, role] of Object.entries(SCHEME_ROLES) as [Persona, 'coordinator' | 'deputy' | 'member'][]) {
    await db
      .updateTable('watch_memberships')
      .set({ role, status: 'active' })
      .where('scheme_id', '=', fixture.schemes.own)
      .where('person_id', '=', fixture.personIds[persona]!)
      .execute();
  }
  await db.updateTable('watch_threads').set({ status: 'open' }).where('id', 'in', Object.values(fixture.threads)).execute();
}

/** A fresh person in an organisation, to be the subject of an administrative route. */
export async function freshMemberOf(store: Store, organisationId: string): Promise<string> {
  const person = await createPerson(store.db, { email: `subject-${randomBytes(6).toString('hex')}@example.test`, displayName: 'Subject', status: 'active', emailVerified: true });
  await addMembership(store.db, person.id, organisationId, 'member', null);
  return person.id;
}

/** A fresh applicant waiting for a scheme's coordinators. */
export async function freshApplicantOf(store: Store, schemeId: string): Promise<string> {
  const person = await createPerson(store.db, { email: `applicant-${randomBytes(6).toString('hex')}@example.test`, displayName: 'Applicant', status: 'active', emailVerified: true });
  const now = new Date().toISOString();
  await store.db
    .insertInto('watch_memberships')
    .values({ scheme_id: schemeId, person_id: person.id, role: 'member', status: 'pending', name: 'Applicant', street: 'Any Street', consented_at: now, applied_at: now, updates_opted_out_at: null, decided_at: null, decided_by: null })
    .execute();
  return person.id;
}

/** The first team member's stable id in a neighbourhood, or a well-formed id that matches nobody. */
export async function firstTeamMember(store: Store, forceId: string, neighbourhoodId: string): Promise<string> {
  const row = await store.db
    .selectFrom('neighbourhood_people')
    .select('member_id')
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', neighbourhoodId)
    .orderBy('position')
    .executeTakeFirst();
  return row?.member_id ?? 'AAAAAAAAAAAA';
}
