/**
 * An area administrator's decisions about a scheme: approve (verified, or as
 * self-declared), reject, verify and unverify the badge, suspend and reinstate,
 * and merge one scheme into another. Each decision is one transaction with its
 * audit entry and the emails telling the coordinators; a decision that does not
 * fit the scheme's status (approving an active scheme) changes nothing.
 *
 * Merging A into B: A becomes 'merged' (its page redirects to B). A's active
 * members join B as members, and A's coordinator and deputies as B's deputies,
 * unless they are already active in B, or B's coordinators had removed or
 * declined them. Their memberships of A end ('removed', decided by the administrator).
 */
import type { Updateable } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../access/policy.ts';
import { appendAuditWithin } from '../audit/audit.repository.ts';
import { queueMail } from '../mail/mail.service.ts';
import type { WatchSchemeTable } from '../store/database.ts';
import { actingOrganisation, changeSchemeIfStatus, moveMembers, schemeLeaders, verifiedBadgeFor } from './area-admin.repository.ts';
import { findScheme, type Scheme } from './schemes.repository.ts';

export const ADMIN_ACTIONS = ['approve', 'reject', 'verify', 'unverify', 'suspend', 'reinstate', 'merge'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** Which statuses each decision applies to. */
const FROM: Record<AdminAction, readonly string[]> = {
  approve: ['pending'],
  reject: ['pending'],
  verify: ['active', 'suspended'],
  unverify: ['active', 'suspended'],
  suspend: ['active'],
  reinstate: ['suspended'],
  merge: ['active', 'suspended', 'pending'],
};

export type AdminResult = { ok: true; message: string } | { ok: false; field?: string; message: string };

export interface AdminRequest {
  action: AdminAction;
  /** approve: 'verified' or 'self_declared'. */
  badge?: string;
  /** merge: the scheme to merge into. */
  into?: string;
}

type Notice = { to: string; name: string; heading: string; paragraphs: string[]; schemeId: string };

export async function decide(ctx: AppContext, actor: Actor, scheme: Scheme, request: AdminRequest, clientAddress: string): Promise<AdminResult> {
  const { action } = request;
  if (!FROM[action].includes(scheme.status)) return { ok: false, message: `The scheme is ${scheme.status}, so it cannot be changed like that. Reload the page to see where it is now` };
  const forceId = scheme.force_id!;
  let into: Scheme | undefined;
  if (action === 'merge') {
    into = request.into ? await findScheme(ctx.store.db, request.into) : undefined;
    if (!into || into.id === scheme.id || into.status !== 'active' || into.force_id !== forceId) {
      return { ok: false, field: 'into', message: 'Choose an active scheme in the same force area to merge this scheme into' };
    }
  }
  if (action === 'approve' && request.badge !== 'verified' && request.badge !== 'self_declared') {
    return { ok: false, field: 'badge', message: 'Choose whether to verify the scheme or approve it as self-declared' };
  }
  const now = ctx.now().toISOString();
  const verified = verifiedBadgeFor(actor, forceId);
  const changes: Updateable<WatchSchemeTable> = {};
  let heading = '';
  let message = '';
  switch (action) {
    case 'approve':
      Object.assign(changes, { status: 'active', badge: request.badge === 'verified' ? verified : 'self_declared', approved_at: now, approved_by: actor.personId });
      [heading, message] = ['Your Neighbourhood Watch scheme has been approved', 'The scheme is approved and people can now find it'];
      break;
    case 'reject':
      Object.assign(changes, { status: 'closed', closed_at: now });
      [heading, message] = ['Your Neighbourhood Watch scheme was not approved', 'The scheme was rejected and closed'];
      break;
    case 'verify':
      changes.badge = verified;
      [heading, message] = ['Your Neighbourhood Watch scheme has been verified', 'The scheme is verified'];
      break;
    case 'unverify':
      changes.badge = 'self_declared';
      [heading, message] = ['Your Neighbourhood Watch scheme is no longer verified', 'The scheme is now self-declared'];
      break;
    case 'suspend':
      changes.status = 'suspended';
      [heading, message] = ['Your Neighbourhood Watch scheme has been suspended', 'The scheme is suspended and hidden from the public'];
      break;
    case 'reinstate':
      changes.status = 'active';
      [heading, message] = ['Your Neighbourhood Watch scheme has been reinstated', 'The scheme is reinstated'];
      break;
    case 'merge':
      Object.assign(changes, { status: 'merged', merged_into: into!.id, closed_at: now });
      [heading, message] = ['Your Neighbourhood Watch scheme has been merged', `The scheme was merged into ${into!.name}`];
      break;
  }

  await ctx.store.db.transaction().execute(async (tx) => {
    const leaders = await schemeLeaders(tx, scheme.id);
    if (!(await changeSchemeIfStatus(tx, scheme.id, scheme.status, changes))) throw new Error('scheme changed meanwhile');
    const moved = into ? await moveMembers(tx, scheme.id, into.id, actor.personId, now) : undefined;
    await appendAuditWithin(tx, ctx.store.kind, {
      action: 'record.update',
      actorId: actor.personId,
      actorOrg: actingOrganisation(actor, forceId),
      subjectType: 'watch_scheme',
      subjectId: scheme.id,
      clientAddress,
      details: { change: action, from: scheme.status, ...changes, ...(moved !== undefined ? { moved } : {}) },
    });
    const paragraphs = [`${message}: “${scheme.name}”.`];
    if (action === 'merge') paragraphs.push('Its members are now members of that scheme, and its coordinators are deputy coordinators there.');
    if (action === 'suspend' || action === 'reject') paragraphs.push('If you think this is a mistake, contact your local Neighbourhood Watch association or the police.');
    const notices: Notice[] = leaders.map((l) => ({ to: l.email, name: l.name, heading, paragraphs, schemeId: into?.id ?? scheme.id }));
    if (into) {
      for (const l of await schemeLeaders(tx, into.id)) {
        notices.push({ to: l.email, name: l.name, heading: 'Another scheme has been merged into yours', paragraphs: [`“${scheme.name}” was merged into “${into.name}”; ${moved ?? 0} of its members joined your scheme.`], schemeId: into.id });
      }
    }
    for (const n of notices) {
      await queueMail(tx, ctx.config, { to: n.to, template: 'notice', data: { name: n.name, heading: n.heading, paragraphs: n.paragraphs, link: { text: 'See the scheme', href: `/watch/schemes/${n.schemeId}` } } }, ctx.now());
    }
  });
  return { ok: true, message: `${message}.` };
}
