/**
 * What the account routes share that needs Fastify's request or reply: starting a
 * person's session at the right stage, and the headers every account page carries.
 * The services (account.service.ts and the rest) never take the request or reply.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STAGE_PAGES } from '../access/access.ts';
import { withNext } from './account.schema.ts';
import { audit, HOME_AFTER_SIGN_IN, stageAfterPassword } from './account.service.ts';
import type { Person } from './people.repository.ts';

/**
 * Starts the person's session at the right stage (always a new id) and says where
 * to send them: the second-factor page, the set-up page, or `next`.
 */
export async function beginSession(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  person: Person,
  next: string | null,
  how: string,
): Promise<string> {
  const stage = await stageAfterPassword(app.ctx, person);
  await reply.startSession(person.id, stage);
  if (stage !== 'full') return withNext(STAGE_PAGES[stage], next);
  await audit(app.ctx, request.ip, { action: 'auth.sign_in', actorId: person.id, actorOrg: request.actor?.roles[0]?.organisationId ?? null, details: { method: how } });
  return next ?? HOME_AFTER_SIGN_IN;
}

/**
 * Every account page: never stored by the browser or a proxy (ASVS 14.3.2). Pages
 * reached from an emailed link also keep the token in their address out of any
 * Referer header: `strict-origin` sends only the site's origin, never the path or
 * query. (`no-referrer` would do the same for Referer, but browsers then also send
 * `Origin: null` with the page's own form, which the CSRF check rightly refuses as
 * cross-site.)
 */
export const TOKEN_PAGE_REFERRER_POLICY = 'strict-origin';

export function accountPageHeaders(app: FastifyInstance, options: { tokenLinks?: boolean } = {}): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    if (options.tokenLinks) reply.header('Referrer-Policy', TOKEN_PAGE_REFERRER_POLICY);
    return payload;
  });
}
