/**
 * The administration home page, and organisations for platform administrators:
 * list, create, suspend and reactivate.
 *
 *   GET  /admin                                   person.view (somewhere; the page shows only what scopesFor allows)
 *   GET  /admin/organisations                     organisation.manage
 *   GET  /admin/organisations/new                 organisation.manage
 *   POST /admin/organisations                     organisation.manage
 *   GET  /admin/organisations/:org/suspend        organisation.manage { organisationId }
 *   POST /admin/organisations/:org/suspend        organisation.manage { organisationId }
 *   POST /admin/organisations/:org/reactivate     organisation.manage { organisationId }
 */
import type { FastifyInstance } from 'fastify';
import { access } from '../access/access.ts';
import { ORGANISATION_TYPES, TIERS } from '../access/permissions.ts';
import { allowedEverywhere, isAllowed, scopesFor, SOMEWHERE } from '../access/policy.ts';
import { listOrganisations, type Organisation } from '../organisations/organisations.repository.ts';
import { actorOf, organisationTarget, type OrgParams } from './admin-access.ts';
import { formFields, formPage, parseForm, type ErrorView, type FormFields } from '../site/forms.ts';
import { FormRefusal, organisationForm, reasonForm } from './admin-forms.ts';
import { changeContext, invalidForm, organisationOr404, organisationPath, redirectDone, refusedForm } from './admin-http.ts';
import { doneMessage, statusTag, typeLabel } from './admin.presenter.ts';
import { createOrganisationAudited, setOrganisationStatusAudited } from './organisations.service.ts';

function organisationRow(o: Organisation) {
  return { id: o.id, name: o.name, type: typeLabel(o.type), tier: o.tier, forceId: o.force_id ?? '', neighbourhoodId: o.neighbourhood_id ?? '', status: statusTag(o.status), href: organisationPath(o.id, '/people') };
}

const typeItems = ORGANISATION_TYPES.map((t) => ({ value: t, text: typeLabel(t) }));
const tierItems = TIERS.map((t) => ({ value: t, text: t[0]!.toUpperCase() + t.slice(1) }));

export async function organisationRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin', { config: access('person.view') }, async (request, reply) => {
    const actor = actorOf(request);
    const everywhere = allowedEverywhere(actor, 'person.view');
    const all = await listOrganisations(app.ctx.store.db);
    const mine = new Set(scopesFor(actor, 'person.view').flatMap((s) => (s.held && s.scope === 'own_organisation' ? [s.held.organisationId] : [])));
    const organisations = everywhere ? all : all.filter((o) => mine.has(o.id));
    return reply.page('admin/index.njk', {
      pageTitle: 'Administration',
      everywhere,
      organisations: organisations.map(organisationRow),
      canManageOrganisations: isAllowed(actor, 'organisation.manage', SOMEWHERE),
      canAudit: isAllowed(actor, 'audit.view', SOMEWHERE),
      canOutbox: isAllowed(actor, 'outbox.view', SOMEWHERE),
    });
  });

  app.get('/admin/organisations', { config: access('organisation.manage') }, async (request, reply) => {
    const organisations = await listOrganisations(app.ctx.store.db);
    return reply.page('admin/organisations.njk', { pageTitle: 'Organisations', organisations: organisations.map(organisationRow), done: doneMessage(request.query) });
  });

  const newPage = (values: FormFields, errors?: ErrorView) => ({ pageTitle: 'Add an organisation', typeItems, tierItems, ...formPage(values, errors) });
  app.get('/admin/organisations/new', { config: access('organisation.manage') }, async (_request, reply) => {
    return reply.page('admin/organisation-new.njk', newPage({}));
  });

  app.post('/admin/organisations', { config: access('organisation.manage') }, async (request, reply) => {
    const fields = formFields(request.body);
    const parsed = parseForm(organisationForm, fields);
    if (!parsed.ok) return reply.page('admin/organisation-new.njk', newPage(fields, invalidForm(reply, parsed.errors)));
    try {
      const organisation = await createOrganisationAudited(changeContext(request), parsed.value);
      return redirectDone(reply, organisationPath(organisation.id, '/people'), 'organisation-created');
    } catch (error) {
      if (!(error instanceof FormRefusal)) throw error;
      return reply.page('admin/organisation-new.njk', newPage(fields, refusedForm(reply, error)));
    }
  });

  const orgAccess = { config: access('organisation.manage', organisationTarget) };
  const suspendPage = (organisation: Organisation, values: FormFields, errors?: ErrorView) => ({
    pageTitle: `Suspend ${organisation.name}`,
    organisation: organisationRow(organisation),
    formAction: organisationPath(organisation.id, '/suspend'),
    ...formPage(values, errors),
  });
  app.get<{ Params: OrgParams }>('/admin/organisations/:org/suspend', orgAccess, async (request, reply) => {
    const organisation = await organisationOr404(request, request.params.org);
    return reply.page('admin/organisation-suspend.njk', suspendPage(organisation, {}));
  });

  app.post<{ Params: OrgParams }>('/admin/organisations/:org/suspend', orgAccess, async (request, reply) => {
    const organisation = await organisationOr404(request, request.params.org);
    const fields = formFields(request.body);
    const parsed = parseForm(reasonForm, fields);
    if (!parsed.ok) return reply.page('admin/organisation-suspend.njk', suspendPage(organisation, fields, invalidForm(reply, parsed.errors)));
    try {
      await setOrganisationStatusAudited(changeContext(request), organisation.id, 'suspended', parsed.value.reason);
      return redirectDone(reply, organisationPath(organisation.id, '/people'), 'organisation-suspended');
    } catch (error) {
      if (!(error instanceof FormRefusal)) throw error;
      return reply.page('admin/organisation-suspend.njk', suspendPage(organisation, fields, refusedForm(reply, error)));
    }
  });

  app.post<{ Params: OrgParams }>('/admin/organisations/:org/reactivate', orgAccess, async (request, reply) => {
    const organisation = await organisationOr404(request, request.params.org);
    try {
      await setOrganisationStatusAudited(changeContext(request), organisation.id, 'active', null);
    } catch (error) {
      if (!(error instanceof FormRefusal)) throw error;
      reply.code(400).header('X-Error-Code', error.code);
      return reply.page('problem.njk', { status: 400, message: error.message });
    }
    return redirectDone(reply, organisationPath(organisation.id, '/people'), 'organisation-reactivated');
  });
}
