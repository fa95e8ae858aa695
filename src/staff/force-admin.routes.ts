/**
 * A force administrator's pages: the force's neighbourhoods, creating one,
 * renaming or redescribing one, and setting up the neighbourhood team
 * organisation that officers are then invited to.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { findForce } from '../forces/forces.repository.ts';
import { findNeighbourhood, listNeighbourhoods } from '../neighbourhoods/neighbourhoods.repository.ts';
import { createOrganisation, findOrganisation, neighbourhoodTeamsOfForce } from '../organisations/organisations.repository.ts';
import { boundaryLines, parseNeighbourhoodDetails, parseNewNeighbourhood } from './force-admin.schema.ts';
import { fieldError, formFields, formPage, type ErrorView, type FormFields } from '../site/forms.ts';
import { MANAGE_FORCE, parseForceParam, parseNeighbourhoodParams } from './staff-access.ts';
import { forceAdminPath, redirectDone, renderStaff, staffPath } from './staff-pages.ts';
import { insertNeighbourhood, neighbourhoodExists, updateNeighbourhoodDetails, type Db } from './staff.repository.ts';
import { changeForce, changeNeighbourhood, editorFor } from './staff.service.ts';
import { typedLine, typedParagraphs } from './stored-text.ts';

const config = MANAGE_FORCE;

/** `team-{force}-{id}` made safe for a URL, with a random end if another organisation has it. */
async function newTeamOrganisationId(db: Db, forceId: string, id: string): Promise<string> {
  const base = `team-${forceId}-${id}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '').slice(0, 90);
  return (await findOrganisation(db, base)) ? `${base}-${randomBytes(3).toString('hex')}` : base;
}

export async function forceAdminRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.ctx;
  const root = '/staff/forces/:force/neighbourhoods';

  async function loadForce(request: FastifyRequest) {
    const forceId = parseForceParam(request.params);
    const force = await findForce(store.db, forceId);
    if (!force) throw new AppError('SC_ERR_UNKNOWN_FORCE');
    return { forceId, listHref: forceAdminPath(forceId), page: { forceName: force.name, listHref: forceAdminPath(forceId) } };
  }

  async function loadNeighbourhood(request: FastifyRequest) {
    const loaded = await loadForce(request);
    const { id } = parseNeighbourhoodParams(request.params);
    const neighbourhood = await findNeighbourhood(store.db, loaded.forceId, id);
    if (!neighbourhood) throw new AppError('SC_ERR_UNKNOWN_NEIGHBOURHOOD');
    return { ...loaded, id, neighbourhood, href: `${loaded.listHref}/${encodeURIComponent(id)}` };
  }

  function renderForm(request: FastifyRequest, reply: FastifyReply, page: Record<string, unknown>, values: FormFields, errors?: ErrorView) {
    return renderStaff(request, reply, 'neighbourhood-form.njk', { ...page, ...formPage(values, errors) }, errors ? 400 : 200);
  }

  app.get(root, { config }, async (request, reply) => {
    const { forceId, listHref, page } = await loadForce(request);
    const [neighbourhoods, teams] = await Promise.all([listNeighbourhoods(store.db, forceId), neighbourhoodTeamsOfForce(store.db, forceId)]);
    return renderStaff(request, reply, 'force-neighbourhoods.njk', {
      ...page,
      rows: neighbourhoods.map((n) => ({
        id: n.id,
        name: typedLine(n.name),
        overviewHref: staffPath(forceId, n.id),
        editHref: `${listHref}/${encodeURIComponent(n.id)}/edit`,
        teamHref: `${listHref}/${encodeURIComponent(n.id)}/team`,
        team: teams.get(n.id) ?? null,
      })),
    });
  });

  app.get(`${root}/new`, { config }, async (request, reply) => {
    const { listHref, page } = await loadForce(request);
    return renderForm(request, reply, { ...page, action: `${listHref}/new`, creating: true }, {});
  });

  app.post(`${root}/new`, { config }, async (request, reply) => {
    const { forceId, listHref, page } = await loadForce(request);
    const fields = formFields(request.body);
    const formPage = { ...page, action: `${listHref}/new`, creating: true };
    const parsed = parseNewNeighbourhood(fields);
    if (!parsed.ok) return renderForm(request, reply, formPage, fields, parsed.errors);
    const { id, ...details } = parsed.value;
    if (await neighbourhoodExists(store.db, forceId, id)) return renderForm(request, reply, formPage, fields, fieldError('id', 'A neighbourhood with this ID already exists'));
    const editor = editorFor(app.ctx, request.actor, request.ip);
    await changeNeighbourhood(editor, forceId, id, { action: 'record.create', details: { part: 'neighbourhood', name: typedLine(details.name) } }, (trx) => insertNeighbourhood(trx, forceId, id, details, editor.now), 'neighbourhood.manage');
    return redirectDone(reply, listHref, 'neighbourhood-created');
  });

  app.get(`${root}/:id/edit`, { config }, async (request, reply) => {
    const { neighbourhood, href, page } = await loadNeighbourhood(request);
    const values = { name: typedLine(neighbourhood.name), description: typedParagraphs(neighbourhood.description), boundary: boundaryLines(neighbourhood.boundary) };
    return renderForm(request, reply, { ...page, action: `${href}/edit`, creating: false, neighbourhoodId: neighbourhood.id }, values);
  });

  app.post(`${root}/:id/edit`, { config }, async (request, reply) => {
    const { forceId, id, href, listHref, page } = await loadNeighbourhood(request);
    const fields = formFields(request.body);
    const parsed = parseNeighbourhoodDetails(fields);
    if (!parsed.ok) return renderForm(request, reply, { ...page, action: `${href}/edit`, creating: false, neighbourhoodId: id }, fields, parsed.errors);
    await changeNeighbourhood(editorFor(app.ctx, request.actor, request.ip), forceId, id, { action: 'record.update', details: { part: 'neighbourhood', name: typedLine(parsed.value.name) } }, (trx) => updateNeighbourhoodDetails(trx, forceId, id, parsed.value), 'neighbourhood.manage');
    return redirectDone(reply, listHref, 'neighbourhood-updated');
  });

  app.get(`${root}/:id/team`, { config }, async (request, reply) => {
    const { forceId, id, neighbourhood, href, page } = await loadNeighbourhood(request);
    const existing = (await neighbourhoodTeamsOfForce(store.db, forceId)).get(id) ?? null;
    return renderStaff(request, reply, 'team-organisation.njk', { ...page, action: `${href}/team`, name: typedLine(neighbourhood.name), existing });
  });

  app.post(`${root}/:id/team`, { config }, async (request, reply) => {
    const { forceId, id, neighbourhood, listHref } = await loadNeighbourhood(request);
    if ((await neighbourhoodTeamsOfForce(store.db, forceId)).has(id)) return redirectDone(reply, listHref, 'team-created');
    const orgId = await newTeamOrganisationId(store.db, forceId, id);
    const name = `${typedLine(neighbourhood.name)} neighbourhood team`;
    const editor = editorFor(app.ctx, request.actor, request.ip);
    await changeForce(editor, forceId, id, { action: 'record.create', details: { part: 'neighbourhood_team', neighbourhood: `${forceId}/${id}`, name } }, { type: 'organisation', id: orgId }, (trx) =>
      createOrganisation(trx, { id: orgId, name, type: 'neighbourhood_team', tier: 'local', forceId, neighbourhoodId: id }, editor.now),
    );
    return redirectDone(reply, listHref, 'team-created');
  });
}
