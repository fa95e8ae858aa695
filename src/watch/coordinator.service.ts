/**
 * What a scheme's coordinator and deputies change: deciding applications, naming
 * and standing down deputies, handing the scheme over and closing it. Every change
 * and its audit entry commit together, with the emails it sends; a change of role
 * bumps the person's privilege version so their sessions get new ids.
 */
import type { Actor } from '../access/policy.ts';
import type { AppContext } from '../app-context.ts';
import { findPersonById, bumpPrivilegeVersion } from '../accounts/people.repository.ts';
import { auditedChange, notify, siteLink } from './audited-change.ts';
import { activeMemberAddresses, findMembership, setMembershipStatus, setRole } from './membership.repository.ts';
import { closeOpenScheme, type Scheme } from './schemes.repository.ts';

export type Decision = 'approve' | 'decline';

/** Approves or declines a pending application and tells the applicant. Returns false when it was not pending. */
export async function decideApplication(ctx: AppContext, actor: Actor | null, scheme: Scheme, personId: string, decision: Decision, clientAddress: string): Promise<boolean> {
  const now = ctx.now();
  const to = decision === 'approve' ? 'active' : 'declined';
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (changed: boolean) => (changed ? { action: 'record.update', subjectType: 'watch_membership', subjectId: `${scheme.id}/${personId}`, details: { change: decision === 'approve' ? 'approved' : 'declined' } } : null),
    async (tx) => {
      const membership = await findMembership(tx, scheme.id, personId);
      const changed = await setMembershipStatus(tx, { schemeId: scheme.id, personId }, { from: ['pending'], to, decidedBy: actor?.personId ?? null, now });
      const person = changed ? await findPersonById(tx, personId) : undefined;
      if (person && membership && person.status === 'active') {
        await notify(ctx, tx, person.email, {
          name: membership.name,
          heading: decision === 'approve' ? `You have joined ${scheme.name}` : `Your application to join ${scheme.name}`,
          paragraphs:
            decision === 'approve'
              ? [`The coordinator of ${scheme.name} has approved your application: you are now a member. You will get the scheme’s updates by email, each with a link to stop them.`]
              : [`The coordinator of ${scheme.name} has not accepted your application. Schemes usually cover a few streets, so there may be another scheme nearer you.`],
          link: decision === 'approve' ? { text: 'Your Neighbourhood Watch', href: siteLink(ctx, '/account/watch') } : { text: 'Find a scheme', href: siteLink(ctx, '/watch') },
        });
      }
      return changed;
    },
  );
}

/** Makes an active member a deputy, or a deputy a member again. Returns false when nothing changed. */
export async function changeDeputy(ctx: AppContext, actor: Actor | null, scheme: Scheme, personId: string, add: boolean, clientAddress: string): Promise<boolean> {
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (changed: boolean) => (changed ? { action: 'role.change', subjectType: 'watch_membership', subjectId: `${scheme.id}/${personId}`, details: { role: add ? 'deputy' : 'member' } } : null),
    async (tx) => {
      const changed = add ? await setRole(tx, scheme.id, personId, 'member', 'deputy') : await setRole(tx, scheme.id, personId, 'deputy', 'member');
      if (!changed) return false;
      await bumpPrivilegeVersion(tx, personId, ctx.now());
      const [person, membership] = await Promise.all([findPersonById(tx, personId), findMembership(tx, scheme.id, personId)]);
      if (add && person && membership) {
        await notify(ctx, tx, person.email, {
          name: membership.name,
          heading: `You are now a deputy coordinator of ${scheme.name}`,
          paragraphs: [`You can now see applications, members and messages of ${scheme.name}, and send updates to its members.`],
          link: { text: 'Coordinator tools', href: siteLink(ctx, `/watch/coordinate/${scheme.id}`) },
        });
      }
      return true;
    },
  );
}

/**
 * Hands the scheme to another active member: they become the coordinator and the
 * one handing over becomes a deputy. Returns false when the person is not an active
 * member (or deputy) or the one handing over is not the coordinator.
 */
export async function handOver(ctx: AppContext, actor: Actor | null, scheme: Scheme, toPersonId: string, clientAddress: string): Promise<boolean> {
  const fromPersonId = actor?.personId;
  if (fromPersonId === undefined || fromPersonId === toPersonId) return false;
  const now = ctx.now();
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (changed: boolean) => (changed ? { action: 'role.change', subjectType: 'watch_scheme', subjectId: scheme.id, details: { change: 'handed_over', to: toPersonId } } : null),
    async (tx) => {
      const target = await findMembership(tx, scheme.id, toPersonId);
      if (!target || target.status !== 'active' || target.role === 'coordinator') return false;
      if (!(await setRole(tx, scheme.id, fromPersonId, 'coordinator', 'deputy'))) return false;
      await setRole(tx, scheme.id, toPersonId, target.role === 'deputy' ? 'deputy' : 'member', 'coordinator');
      await bumpPrivilegeVersion(tx, fromPersonId, now);
      await bumpPrivilegeVersion(tx, toPersonId, now);
      const person = await findPersonById(tx, toPersonId);
      if (person) {
        await notify(ctx, tx, person.email, {
          name: target.name,
          heading: `You are now the coordinator of ${scheme.name}`,
          paragraphs: [`${scheme.name} has been handed over to you. The previous coordinator is now a deputy.`],
          link: { text: 'Coordinator tools', href: siteLink(ctx, `/watch/coordinate/${scheme.id}`) },
        });
      }
      return true;
    },
  );
}

/** Closes the scheme and tells every active member. Returns false when it was not open. */
export async function closeScheme(ctx: AppContext, actor: Actor | null, scheme: Scheme, clientAddress: string): Promise<boolean> {
  const now = ctx.now();
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (changed: boolean) => (changed ? { action: 'record.update', subjectType: 'watch_scheme', subjectId: scheme.id, details: { change: 'closed', by: 'coordinator' } } : null),
    async (tx) => {
      if (!(await closeOpenScheme(tx, scheme.id, now.toISOString()))) return false;
      for (const member of await activeMemberAddresses(tx, scheme.id)) {
        await bumpPrivilegeVersion(tx, member.person_id, now);
        await notify(ctx, tx, member.email, {
          name: member.name,
          heading: `${scheme.name} has closed`,
          paragraphs: [`The coordinator of ${scheme.name} has closed the scheme. You will get no more updates from it.`, 'You can look for another scheme near you, or start one.'],
          link: { text: 'Find a scheme', href: siteLink(ctx, '/watch') },
        });
      }
      return true;
    },
  );
}

/**
 * Removes an active member (not a deputy or the coordinator: stand a deputy down
 * first). They are told by email; a removed member cannot simply apply again.
 * Returns false when the person is not an active member.
 */
export async function removeMember(ctx: AppContext, actor: Actor | null, scheme: Scheme, personId: string, clientAddress: string): Promise<boolean> {
  const now = ctx.now();
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (changed: boolean) => (changed ? { action: 'record.update', subjectType: 'watch_membership', subjectId: `${scheme.id}/${personId}`, details: { change: 'removed_by_coordinator' } } : null),
    async (tx) => {
      const target = await findMembership(tx, scheme.id, personId);
      if (!target || target.status !== 'active' || target.role !== 'member') return false;
      if (!(await setMembershipStatus(tx, { schemeId: scheme.id, personId }, { from: ['active'], to: 'removed', decidedBy: actor?.personId ?? null, now }))) return false;
      await bumpPrivilegeVersion(tx, personId, now);
      const person = await findPersonById(tx, personId);
      if (person) {
        await notify(ctx, tx, person.email, {
          name: target.name,
          heading: `You are no longer a member of ${scheme.name}`,
          paragraphs: [`The coordinators of ${scheme.name} have removed you from the scheme, so you will not get its updates. If you think this is a mistake, you can write to the coordinator from the scheme’s page.`],
          link: { text: 'The scheme’s page', href: siteLink(ctx, `/watch/schemes/${scheme.id}`) },
        });
      }
      return true;
    },
  );
}
