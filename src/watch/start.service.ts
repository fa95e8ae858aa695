/**
 * Starting a Neighbourhood Watch scheme: the founder names it, gives its area,
 * chooses how people join and accepts the code of conduct; they become its main
 * coordinator and the scheme waits ('pending') for an area administrator. The
 * scheme, its neighbourhoods, the coordinator's membership, the audit entry and
 * the emails to the force area's Watch administrators are one transaction.
 */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../access/policy.ts';
import { appendAuditWithin } from '../audit/audit.repository.ts';
import { queueMail } from '../mail/mail.service.ts';
import { requiredText } from '../site/form-rules.ts';
import type { SchemeArea } from './scheme-area.ts';
import { forceWatchAdmins, insertPendingScheme } from './start.repository.ts';
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

export async function startScheme(ctx: AppContext, actor: Actor, input: StartInput, area: SchemeArea, clientAddress: string): Promise<string> {
  const id = newSchemeId();
  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (tx) => {
    await insertPendingScheme(tx, {
      id,
      name: input.name,
      forceId: area.forceId,
      area: area.ring.map((p) => [p.latitude, p.longitude]),
      centre: area.centre,
      box: area.box,
      joinPolicy: input.join_policy,
      neighbourhoods: area.neighbourhoods,
      founder: { personId: actor.personId, name: input.coordinator_name, street: input.street },
      now,
    });
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
