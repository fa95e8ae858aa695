/**
 * The same pages for each list a team edits (collections.ts): the list with
 * "Add another", a form to add or change a row, and a confirmation page before
 * a row is removed. Every change is validated, made in one transaction and audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { CollectionSpec } from './collections.ts';
import { formFields, formPage, type ErrorView, type FormFields } from '../site/forms.ts';
import { EDIT_NEIGHBOURHOOD, parseNeighbourhoodParams } from './staff-access.ts';
import { redirectDone, renderStaff, staffPath } from './staff-pages.ts';
import { loadStaffNeighbourhood } from './staff.repository.ts';
import { changeNeighbourhood, editorFor } from './staff.service.ts';
import { typedLine } from './stored-text.ts';
import { requestValue } from '../site/request-values.ts';

/** The row's position from `:position`, or the not-found page. */
function positionParam(params: unknown): number {
  const raw = requestValue(params, 'position');
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) throw new AppError('SC_ERR_NOT_FOUND');
  return Number(raw);
}

export async function collectionRoutes<T>(app: FastifyInstance, options: { spec: CollectionSpec<T> }): Promise<void> {
  const { spec } = options;
  const { store } = app.ctx;
  const root = `/staff/neighbourhoods/:force/:id/${spec.slug}`;
  const config = EDIT_NEIGHBOURHOOD;

  async function load(request: FastifyRequest) {
    const { force, id } = parseNeighbourhoodParams(request.params);
    const current = await loadStaffNeighbourhood(store.db, force, id);
    const base = staffPath(force, id);
    return { force, id, current, base, listHref: `${base}/${spec.slug}`, page: { base, forceName: current.force.name, name: typedLine(current.neighbourhood.name), label: spec.label } };
  }

  async function findRow(request: FastifyRequest, force: string, id: string) {
    const position = positionParam(request.params);
    const row = (await spec.list(store.db, force, id)).find((r) => r.position === position);
    if (!row) throw new AppError('SC_ERR_NOT_FOUND', `No such ${spec.label.one}`);
    return row;
  }

  function renderForm(request: FastifyRequest, reply: FastifyReply, page: Record<string, unknown>, action: string, values: FormFields, errors?: ErrorView) {
    return renderStaff(request, reply, spec.formTemplate, { ...page, action, adding: action.endsWith('/add'), ...formPage(values, errors) }, errors ? 400 : 200);
  }

  app.get(root, { config }, async (request, reply) => {
    const { force, id, page, listHref } = await load(request);
    const rows = await spec.list(store.db, force, id);
    return renderStaff(request, reply, spec.listTemplate, {
      ...page,
      listHref,
      rows: rows.map((r) => ({ ...spec.view(r.item), href: `${listHref}/${r.position}` })),
    });
  });

  app.get(`${root}/add`, { config }, async (request, reply) => {
    const { page, listHref } = await load(request);
    return renderForm(request, reply, page, `${listHref}/add`, {});
  });

  app.post(`${root}/add`, { config }, async (request, reply) => {
    const { force, id, page, listHref } = await load(request);
    const parsed = spec.parse(formFields(request.body));
    if (!parsed.ok) return renderForm(request, reply, page, `${listHref}/add`, formFields(request.body), parsed.errors);
    await changeNeighbourhood(
      editorFor(app.ctx, request.actor, request.ip),
      force,
      id,
      (position: number) => ({ action: 'record.create', details: spec.auditDetails(parsed.value, position) }),
      (trx) => spec.insert(trx, force, id, parsed.value),
    );
    return redirectDone(reply, listHref, `${spec.noun}-added`);
  });

  app.get(`${root}/:position`, { config }, async (request, reply) => {
    const { force, id, page, listHref } = await load(request);
    const row = await findRow(request, force, id);
    return renderForm(request, reply, page, `${listHref}/${row.position}`, spec.toFields(row.item));
  });

  app.post(`${root}/:position`, { config }, async (request, reply) => {
    const { force, id, page, listHref } = await load(request);
    const row = await findRow(request, force, id);
    const parsed = spec.parse(formFields(request.body));
    if (!parsed.ok) return renderForm(request, reply, page, `${listHref}/${row.position}`, formFields(request.body), parsed.errors);
    const updated = await changeNeighbourhood(editorFor(app.ctx, request.actor, request.ip), force, id, { action: 'record.update', details: spec.auditDetails(parsed.value, row.position) }, (trx) =>
      spec.update(trx, force, id, row.position, parsed.value),
    );
    if (!updated) throw new AppError('SC_ERR_NOT_FOUND', `No such ${spec.label.one}`);
    return redirectDone(reply, listHref, `${spec.noun}-updated`);
  });

  app.get(`${root}/:position/remove`, { config }, async (request, reply) => {
    const { force, id, page, listHref } = await load(request);
    const row = await findRow(request, force, id);
    return renderStaff(request, reply, 'remove.njk', {
      ...page,
      heading: `Are you sure you want to remove this ${spec.label.one}?`,
      summary: spec.describe(row.item),
      action: `${listHref}/${row.position}/remove`,
      cancelHref: listHref,
      button: `Yes, remove this ${spec.label.one}`,
    });
  });

  app.post(`${root}/:position/remove`, { config }, async (request, reply) => {
    const { force, id, listHref } = await load(request);
    const row = await findRow(request, force, id);
    await changeNeighbourhood(editorFor(app.ctx, request.actor, request.ip), force, id, { action: 'record.delete', details: spec.auditDetails(row.item, row.position) }, (trx) =>
      spec.remove(trx, force, id, row.position),
    );
    return redirectDone(reply, listHref, `${spec.noun}-removed`);
  });
}
