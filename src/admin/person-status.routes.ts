/**
 * Suspending, reactivating, removing and closing: each destructive action has a
 * confirmation page with an optional reason, kept in the audit entry.
 *
 *   GET|POST /admin/organisations/:org/people/:person/suspend     person.suspend { organisationId, personId }
 *   POST     /admin/organisations/:org/people/:person/reactivate  person.suspend { organisationId, personId }
 *   GET|POST /admin/organisations/:org/people/:person/remove      person.remove  { organisationId, personId }
 *   GET|POST /admin/organisations/:org/people/:person/close       person.remove  { organisationId, personId } (platform administrators only)
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { access } from '../access/access.ts';
import type { Action } from '../access/permissions.ts';
import { findPersonById } from '../accounts/people.repository.ts';
import { AppError } from '../errors.ts';
import { memberTarget, type PersonParams } from './admin-access.ts';
import { formFields, formPage, NO_ERRORS, parseForm, type ErrorView, type FormFields } from '../site/forms.ts';
import { FormRefusal, reasonForm } from './admin-forms.ts';
import { changeContext, invalidForm, organisationOr404, organisationPath, personPath, redirectDone, refusedForm } from './admin-http.ts';
import type { DoneKey } from './admin.presenter.ts';
import { changeThenShow, requireAccountWide } from './person.routes.ts';
import type { ChangeContext } from './organisations.service.ts';
import { closeAccount, reactivatePerson, removeFromOrganisation, suspendPerson } from './person.service.ts';

type PersonRequest = Parameters<typeof changeThenShow>[0];

interface Confirmation {
  path: string;
  action: Action;
  accountWide?: 'suspend' | 'close';
  heading: (name: string, organisation: string) => string;
  warning: (name: string, organisation: string) => string;
  button: string;
  done: DoneKey;
  /** Where to go afterwards: the person's page, or the organisation's people when they are no longer in it. */
  back: 'person' | 'people';
  run: (c: ChangeContext, org: string, person: string, reason: string | null) => Promise<void>;
}

const CONFIRMATIONS: Confirmation[] = [
  {
    path: 'suspend',
    action: 'person.suspend',
    accountWide: 'suspend',
    heading: (name) => `Suspend ${name}?`,
    warning: (name) => `${name} will be signed out everywhere at once and will not be able to sign in until the account is reactivated. This applies to every organisation they belong to.`,
    button: 'Suspend account',
    done: 'suspended',
    back: 'person',
    run: suspendPerson,
  },
  {
    path: 'remove',
    action: 'person.remove',
    heading: (name, organisation) => `Remove ${name} from ${organisation}?`,
    warning: (name, organisation) => `${name} will lose every role they hold in ${organisation}. Their account and any other organisations stay as they are.`,
    button: 'Remove from organisation',
    done: 'removed-here',
    back: 'people',
    run: removeFromOrganisation,
  },
  {
    path: 'close',
    action: 'person.remove',
    accountWide: 'close',
    heading: (name) => `Close the account of ${name}?`,
    warning: (name) => `${name} will lose every role in every organisation, be signed out everywhere and never be able to sign in with this account again. This cannot be undone.`,
    button: 'Close account',
    done: 'closed',
    back: 'people',
    run: closeAccount,
  },
];

async function confirmationPage(request: PersonRequest, reply: FastifyReply, c: Confirmation, values: FormFields, errors: ErrorView): Promise<FastifyReply> {
  const { org, person: personId } = request.params;
  const organisation = await organisationOr404(request, org);
  const person = await findPersonById(request.server.ctx.store.db, personId);
  if (!person) throw new AppError('SC_ERR_UNKNOWN_PERSON');
  return reply.page('admin/person-confirm.njk', {
    pageTitle: c.heading(person.display_name, organisation.name),
    heading: c.heading(person.display_name, organisation.name),
    warning: c.warning(person.display_name, organisation.name),
    button: c.button,
    formAction: personPath(org, personId, `/${c.path}`),
    backHref: personPath(org, personId),
    ...formPage(values, errors),
  });
}

export async function personStatusRoutes(app: FastifyInstance): Promise<void> {
  const base = '/admin/organisations/:org/people/:person';

  for (const c of CONFIRMATIONS) {
    const options = { config: access(c.action, memberTarget(c.action)) };
    app.get<{ Params: PersonParams }>(`${base}/${c.path}`, options, async (request, reply) => {
      if (c.accountWide) await requireAccountWide(request, c.accountWide);
      return confirmationPage(request, reply, c, {}, NO_ERRORS);
    });

    app.post<{ Params: PersonParams }>(`${base}/${c.path}`, options, async (request, reply) => {
      if (c.accountWide) await requireAccountWide(request, c.accountWide);
      const { org, person } = request.params;
      const fields = formFields(request.body);
      const parsed = parseForm(reasonForm, fields);
      if (!parsed.ok) return confirmationPage(request, reply, c, fields, invalidForm(reply, parsed.errors));
      try {
        await c.run(changeContext(request), org, person, parsed.value.reason);
      } catch (error) {
        if (!(error instanceof FormRefusal)) throw error;
        return confirmationPage(request, reply, c, fields, refusedForm(reply, error));
      }
      return redirectDone(reply, c.back === 'person' ? personPath(org, person) : organisationPath(org, '/people'), c.done);
    });
  }

  app.post<{ Params: PersonParams }>(`${base}/reactivate`, { config: access('person.suspend', memberTarget('person.suspend')) }, async (request, reply) => {
    await requireAccountWide(request, 'suspend');
    return changeThenShow(request, reply, 'reactivated', () => reactivatePerson(changeContext(request), request.params.org, request.params.person, null));
  });
}
