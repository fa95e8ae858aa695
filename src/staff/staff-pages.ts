/**
 * What every staff page shares: its paths, the layout's context, and the
 * success banner, whose text comes from a fixed list (nothing from the URL is printed).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageContext } from '../site/page-context.ts';
import { redirect } from '../site/redirect.ts';
import { requestValue } from '../site/request-values.ts';

const enc = encodeURIComponent;

/** `/staff/neighbourhoods/{force}/{id}`, each id encoded. */
export function staffPath(forceId: string, id: string): string {
  return `/staff/neighbourhoods/${enc(forceId)}/${enc(id)}`;
}

/** `/staff/forces/{force}/neighbourhoods`. */
export function forceAdminPath(forceId: string): string {
  return `/staff/forces/${enc(forceId)}/neighbourhoods`;
}

/** The public page of the neighbourhood. */
export function publicPath(forceId: string, id: string): string {
  return `/neighbourhoods/${enc(forceId)}/${enc(id)}`;
}

const NOUNS: Record<string, string> = {
  member: 'Team member',
  contacts: 'Contact details',
  station: 'Police station',
  priority: 'Priority',
  event: 'Event',
  neighbourhood: 'Neighbourhood',
  team: 'Neighbourhood team',
};
const VERBS = new Set(['added', 'updated', 'removed', 'moved', 'created']);

export type DoneKey = `${keyof typeof NOUNS}-${string}`;

/** The banner for `?done=priority-added`, or null. */
export function doneBanner(query: unknown): string | null {
  const done = requestValue(query, 'done');
  if (typeof done !== 'string') return null;
  const m = /^([a-z]+)-([a-z]+)$/.exec(done);
  if (!m || !Object.hasOwn(NOUNS, m[1]!) || !VERBS.has(m[2]!)) return null;
  return `${NOUNS[m[1]!]} ${m[2]}`;
}

/** After a change: back to the page that lists it, with the banner (POST/redirect/GET). */
export function redirectDone(reply: FastifyReply, path: string, done: DoneKey): FastifyReply {
  return redirect(reply, `${path}?done=${done}`, 303);
}

/** Renders `staff/{template}` with the layout's context, the staff tab active and the banner. */
export async function renderStaff(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status = 200): Promise<FastifyReply> {
  const context = await pageContext(request.server);
  return reply.code(status).page(`staff/${template}`, { ...context, activeNav: 'staff', successBanner: doneBanner(request.query), ...data });
}
