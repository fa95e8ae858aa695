/**
 * The audit log in the browser: filtered, paged newest first, and a button that
 * checks the hash chain. An auditor sees the entries whose actor acted for their
 * organisation; a platform administrator sees every entry. Reading the log is
 * itself recorded ('record.view' of 'audit_log').
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { allowedEverywhere, scopesFor, type Actor } from '../access/policy.ts';
import { emailsOfPeople, findPersonByEmail } from '../accounts/people.repository.ts';
import { appendAudit, findAuditPage, type AuditRow } from '../audit/audit.repository.ts';
import { AUDIT_ACTIONS } from '../audit/audit.schema.ts';
import { verifyAuditChain } from '../audit/audit-verify.ts';
import { actorOf, actorOrgFor } from './admin-access.ts';
import { formPage } from '../site/forms.ts';
import { beforeSequence, invalidForm } from './admin-http.ts';
import { auditRowView } from './admin.presenter.ts';
import { filterQuery, parseAuditFilter } from './audit-filter.ts';

export const AUDIT_PAGE_SIZE = 50;

/** The organisations whose entries the actor may read; null for all of them. */
export function readableOrganisations(actor: Actor): string[] | null {
  if (allowedEverywhere(actor, 'audit.view')) return null;
  const ids = scopesFor(actor, 'audit.view')
    .filter((s) => s.scope === 'own_organisation' && s.held !== null)
    .map((s) => s.held!.organisationId);
  return [...new Set(ids)];
}

/** Rows for the table, with each actor's email address where the person is known. */
export async function auditTable(request: FastifyRequest, rows: AuditRow[]): Promise<ReturnType<typeof auditRowView>[]> {
  const ids = [...new Set(rows.map((r) => r.actor_id).filter((id): id is string => id !== null))];
  const emails = await emailsOfPeople(request.server.ctx.store.db, ids);
  return rows.map((row) => {
    const view = auditRowView(row);
    return { ...view, actor: row.actor_id === null ? 'system' : (emails.get(row.actor_id) ?? row.actor_id) };
  });
}

async function recordView(request: FastifyRequest, actor: Actor, subjectId: string, details: Record<string, unknown>): Promise<void> {
  const { ctx } = request.server;
  await appendAudit(
    ctx.store,
    {
      action: 'record.view',
      actorId: actor.personId,
      actorOrg: actorOrgFor(actor, 'audit.view'),
      subjectType: 'audit_log',
      subjectId,
      clientAddress: request.ip,
      details,
    },
    { now: ctx.now },
  );
}

export async function auditViewRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/audit', { config: access('audit.view') }, async (request, reply) => {
    const actor = actorOf(request);
    const filter = parseAuditFilter(request.query);
    const organisations = readableOrganisations(actor);
    const base = {
      pageTitle: 'Audit log',
      actions: AUDIT_ACTIONS,
      scope: organisations === null ? 'all' : 'organisation',
      isPlatformAdmin: organisations === null,
    };
    if (filter.errors.errorSummary) {
      return reply.page('admin/audit.njk', { ...base, ...formPage(filter.values, invalidForm(reply, filter.errors)), trail: [] });
    }
    let actorId: string | undefined;
    if (filter.person !== null) {
      // An address nobody has matches nothing, without saying whether an account exists.
      actorId = 'email' in filter.person ? ((await findPersonByEmail(app.ctx.store.db, filter.person.email))?.id ?? '\u2205') : filter.person.id;
    }
    const before = beforeSequence(request.query);
    const { rows, more } = await findAuditPage(app.ctx.store.db, {
      actorOrgs: organisations,
      limit: AUDIT_PAGE_SIZE,
      ...(actorId !== undefined ? { actorId } : {}),
      ...(filter.action !== undefined ? { action: filter.action } : {}),
      ...(filter.subjectType !== undefined ? { subjectType: filter.subjectType } : {}),
      ...(filter.subjectId !== undefined ? { subjectId: filter.subjectId } : {}),
      ...(filter.since !== undefined ? { since: filter.since } : {}),
      ...(filter.until !== undefined ? { until: filter.until } : {}),
      ...(before !== undefined ? { beforeSequence: before } : {}),
    });
    const query = filterQuery(filter.values);
    await recordView(request, actor, organisations === null ? 'all' : 'own_organisation', {
      organisations: organisations?.slice(0, 20) ?? null,
      filter: query.slice(0, 1000),
      before: before ?? null,
      shown: rows.length,
    });
    const last = rows.at(-1);
    return reply.page('admin/audit.njk', {
      ...base,
      ...formPage(filter.values),
      trail: await auditTable(request, rows),
      filtered: query !== '',
      newestHref: before !== undefined ? `/admin/audit${query ? `?${query}` : ''}` : null,
      olderHref: more && last ? `/admin/audit?${query ? `${query}&` : ''}before=${last.sequence}` : null,
    });
  });

  app.post('/admin/audit/verify', { config: access('audit.view') }, async (request, reply) => {
    const actor = actorOf(request);
    const result = await verifyAuditChain(app.ctx.store);
    await recordView(request, actor, 'chain', { check: 'chain', ok: result.ok, entries: result.entries });
    return reply.page('admin/audit-verify.njk', {
      pageTitle: result.ok ? 'The audit log is intact' : 'The audit log has been tampered with',
      result,
      problems: result.ok ? [] : result.problems.slice(0, 200),
      moreProblems: result.ok ? 0 : Math.max(0, result.problems.length - 200),
    });
  });
}
