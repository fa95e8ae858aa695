/**
 * Creating organisations and suspending or reactivating them. A suspended
 * organisation grants nothing (heldRoles reads only active ones), so suspension
 * takes effect on its people's next request; their privilege version is bumped too,
 * so their sessions are given new ids.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../access/policy.ts';
import type { AppContext } from '../app-context.ts';
import { bumpPrivilegeVersion } from '../accounts/people.repository.ts';
import { AppError } from '../errors.ts';
import { forceExists } from '../forces/forces.repository.ts';
import { neighbourhoodExists } from '../neighbourhoods/neighbourhoods.repository.ts';
import { createOrganisation, findOrganisation, type Organisation } from '../organisations/organisations.repository.ts';
import type { Database } from '../store/database.ts';
import { actorOrgFor } from './admin-access.ts';
import type { FieldError } from '../site/forms.ts';
import { FormRefusal, refuse, type OrganisationForm } from './admin-forms.ts';
import { memberIds, platformAdminsLeftWithout, setOrganisationStatus } from './admin.repository.ts';
import { auditedChange } from './audited-change.ts';

export interface ChangeContext {
  ctx: AppContext;
  actor: Actor | null;
  clientAddress: string | null;
  /** Set for the command line: recorded in each entry's details. */
  via?: 'cli';
}

async function problemsWithReferences(db: Kysely<Database>, form: OrganisationForm): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  if (await findOrganisation(db, form.id)) problems.push({ field: 'id', text: 'An organisation with this identifier already exists; choose another' });
  if (form.forceId !== null) {
    if (!(await forceExists(db, form.forceId))) problems.push({ field: 'forceId', text: 'No force with this identifier is held here; fetch or import the force first' });
    else if (form.neighbourhoodId !== null) {
      if (!(await neighbourhoodExists(db, form.forceId, form.neighbourhoodId))) problems.push({ field: 'neighbourhoodId', text: 'That force has no neighbourhood with this identifier (identifiers are case-sensitive)' });
    }
  }
  return problems;
}

/** Creates the organisation, with one 'record.create' entry. @throws FormRefusal */
export async function createOrganisationAudited(change: ChangeContext, form: OrganisationForm): Promise<Organisation> {
  const { ctx, actor } = change;
  const now = ctx.now();
  return auditedChange(ctx.store, ctx.now, async (db) => {
    const problems = await problemsWithReferences(db, form);
    if (problems.length > 0) throw new FormRefusal(problems);
    const organisation = await createOrganisation(db, form, now);
    return {
      result: organisation,
      audit: [
        {
          action: 'organisation.create',
          actorId: actor?.personId ?? null,
          actorOrg: actor ? actorOrgFor(actor, 'organisation.manage') : null,
          subjectType: 'organisation',
          subjectId: organisation.id,
          clientAddress: change.clientAddress,
          details: { name: form.name, type: form.type, tier: form.tier, forceId: form.forceId, neighbourhoodId: form.neighbourhoodId, ...(change.via ? { via: change.via } : {}) },
        },
      ],
    };
  });
}

/**
 * Suspends or reactivates an organisation: one 'record.update' entry, and every
 * member's privilege version bumped. Refuses to suspend the organisation holding
 * the last working platform administrator. @throws FormRefusal, AppError (unknown)
 */
export async function setOrganisationStatusAudited(change: ChangeContext, organisationId: string, status: 'active' | 'suspended', reason: string | null): Promise<void> {
  const { ctx, actor } = change;
  const now = ctx.now();
  await auditedChange(ctx.store, ctx.now, async (db) => {
    const organisation = await findOrganisation(db, organisationId);
    if (!organisation) throw new AppError('SC_ERR_UNKNOWN_ORGANISATION');
    if (organisation.status === status) refuse('reason', status === 'suspended' ? 'This organisation is already suspended' : 'This organisation is already active');
    if (status === 'suspended') {
      const admins = await platformAdminsLeftWithout(db, (g) => g.organisationId === organisationId);
      if (admins.before > 0 && admins.after === 0) {
        refuse('reason', 'This organisation holds the last working platform administrator; make someone else a platform administrator first');
      }
    }
    await setOrganisationStatus(db, organisationId, status);
    const people = await memberIds(db, organisationId);
    for (const personId of people) await bumpPrivilegeVersion(db, personId, now);
    return {
      result: undefined,
      audit: [
        {
          action: 'organisation.update',
          actorId: actor?.personId ?? null,
          actorOrg: actor ? actorOrgFor(actor, 'organisation.manage') : null,
          subjectType: 'organisation',
          subjectId: organisationId,
          reason,
          clientAddress: change.clientAddress,
          details: { status: { from: organisation.status, to: status }, membersAffected: people.length },
        },
      ],
    };
  });
}
