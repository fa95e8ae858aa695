/**
 * Small things every administration route needs: where pages live, the change
 * context for services, and how a refused form is answered.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { findOrganisation, type Organisation } from '../organisations/organisations.repository.ts';
import { errorView, type ErrorView } from '../site/forms.ts';
import type { FormRefusal } from './admin-forms.ts';
import type { DoneKey } from './admin.presenter.ts';
import type { ChangeContext } from './organisations.service.ts';
import { redirect } from '../site/redirect.ts';
import { requestValue } from '../site/request-values.ts';

export function organisationPath(org: string, suffix = ''): string {
  return `/admin/organisations/${encodeURIComponent(org)}${suffix}`;
}

export function personPath(org: string, person: string, suffix = ''): string {
  return `${organisationPath(org, '/people')}/${encodeURIComponent(person)}${suffix}`;
}

/** Post/Redirect/Get: back to a page, which shows the success banner for `done`. */
export function redirectDone(reply: FastifyReply, path: string, done: DoneKey): FastifyReply {
  return redirect(reply, `${path}?done=${done}`, 303);
}

export function changeContext(request: FastifyRequest): ChangeContext {
  return { ctx: request.server.ctx, actor: request.actor, clientAddress: request.ip };
}

export async function organisationOr404(request: FastifyRequest, id: string): Promise<Organisation> {
  const organisation = await findOrganisation(request.server.ctx.store.db, id);
  if (!organisation) throw new AppError('SC_ERR_UNKNOWN_ORGANISATION');
  return organisation;
}

/** A form answered with its errors: 400 and the error code in a header; the page shows the errors returned. */
export function invalidForm(reply: FastifyReply, errors: ErrorView, code: FormRefusal['code'] = 'SC_ERR_INVALID_FORM'): ErrorView {
  reply.code(400).header('X-Error-Code', code);
  return errors;
}

/** A change a rule refused (a FormRefusal from a service), answered like an invalid form. */
export function refusedForm(reply: FastifyReply, refusal: FormRefusal): ErrorView {
  return invalidForm(reply, errorView(refusal.problems), refusal.code);
}

/** A page of newest-first entries: `before` from the query, when it is a positive whole number. */
export function beforeSequence(query: unknown): number | undefined {
  const raw = requestValue(query, 'before');
  if (typeof raw !== 'string' || !/^[1-9]\d{0,15}$/.test(raw)) return undefined;
  return Number(raw);
}
