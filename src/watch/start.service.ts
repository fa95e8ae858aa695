/**
 * Starting a Neighbourhood Watch scheme: the founder names it, gives its area,
 * chooses how people join and accepts the code of conduct; they become its main
 * coordinator and the scheme waits ('pending') for an area administrator. The
 * scheme, its neighbourhoods, the coordinator's membership, the audit entry and
 * the emails to the force area's Watch administrators are one transaction.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../access/policy.ts';
import { appendAuditWithin } from '../audit/audit.repository.ts';
import { queueMail } from '../mail/mail.service.ts';
import { requiredText } from '../staff/form.ts';
import type { Database } from '../store/database.ts';
import type { SchemeArea } from './scheme-area.ts';
import { newSchemeId } from './watch-geo.ts';

/** More schemes than this waiting for approval, from one person, is not a street's scheme. */
export const MAX_PENDING_PER_PERSON = 3;

const noControls = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const startSchema = z.object({
  name: requiredText('The scheme name', 80, 'Enter a name for the scheme').refine(noControls, 'The scheme name must be one line of text'),
  join_policy: z.enum(['automatic', 'approval'], { error: 'Choose how people join the scheme' }),
  coordinator_name: requiredText('Your name', 100, 'Enter your name').refine(noControls, 'Your name must be one line of text'),
  street: requiredText('Your street', 120, 'Enter your street').refine(noControls, 'Your street must be one line of text'),
  conduct: z.literal('yes', { error: 'Agree to the code of conduct to start a scheme' }),
});
export type StartInput = z.output<typeof startSchema>;

/** How many schemes the person founded that still wait for approval. */
export async function pendingSchemesOf(db: Kysely<Database>, personId: string): Promise<number> {
  const row = await db
    .selectFrom('watch_schemes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('created_by', '=', personId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everyone holding watch_admin in an active organisation of the force, with their address. */
export async function forceWatchAdmins(db: Kysely<Database>, forceId: string): Promise<{ personId: string; email: string; name: string }[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.email', 'p.display_name'])
    .where('m.role', '=', 'watch_admin')
    .where('o.force_id', '=', forceId)
    .where('o.status', '=', 'active')
    .where('o.type', 'in', ['watch_association', 'police_force'])
    .where('p.status', '=', 'active')
    .distinct()
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({ personId: r.id, email: r.email, name: r.display_name }));
}

export async function startScheme(ctx: AppContext, actor: Actor, input: StartInput, area: SchemeArea, clientAddress: string): Promise<string> {
  const id = newSchemeId();
  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('watch_schemes')
      .values({
        id,
        name: input.name,
        force_id: area.forceId,
        area: JSON.stringify(area.ring.map((p) => [p.latitude, p.longitude])),
        centre_latitude: area.centre.latitude,
        centre_longitude: area.centre.longitude,
        min_latitude: area.box.minLat,
        min_longitude: area.box.minLng,
        max_latitude: area.box.maxLat,
        max_longitude: area.box.maxLng,
        status: 'pending',
        badge: 'self_declared',
        join_policy: input.join_policy,
        merged_into: null,
        created_by: actor.personId,
        code_of_conduct_accepted_at: now,
        created_at: now,
        approved_at: null,
        approved_by: null,
        closed_at: null,
      })
      .execute();
    await tx
      .insertInto('watch_scheme_neighbourhoods')
      .values(area.neighbourhoods.map((n) => ({ scheme_id: id, force_id: n.forceId, neighbourhood_id: n.id })))
      .execute();
    await tx
      .insertInto('watch_memberships')
      .values({
        scheme_id: id,
        person_id: actor.personId,
        role: 'coordinator',
        status: 'active',
        name: input.coordinator_name,
        street: input.street,
        outside_area: 0,
        consented_at: now,
        updates_opted_out_at: null,
        applied_at: now,
        decided_at: now,
        decided_by: actor.personId,
      })
      .execute();
    await appendAuditWithin(tx, ctx.store.kind, {
      action: 'record.create',
      actorId: actor.personId,
      actorOrg: null,
      subjectType: 'watch_scheme',
      subjectId: id,
      clientAddress,
      details: { forceId: area.forceId, neighbourhoods: area.neighbourhoods.map((n) => n.id), km2: Math.round(area.km2 * 100) / 100 },
    });
    for (const admin of await forceWatchAdmins(tx, area.forceId)) {
      await queueMail(tx, ctx.config, {
        to: admin.email,
        template: 'notice',
        data: {
          name: admin.name,
          heading: 'A new Neighbourhood Watch scheme is waiting for approval',
          paragraphs: [`“${input.name}” has been started and needs an area administrator to approve it before the public can find it.`, 'Check its area, and whether it overlaps another scheme, before you approve it.'],
          link: { text: 'Review the scheme', href: `/watch/admin/schemes/${id}` },
        },
      }, ctx.now());
    }
  });
  return id;
}
