/**
 * Reading the audit log for the administration pages: the filters of listAudit
 * plus an action, and the organisations whose entries the reader may see.
 */
import type { Kysely } from 'kysely';
import type { AuditRow } from '../audit/audit.repository.ts';
import type { Database } from '../store/database.ts';

export interface AdminAuditFilter {
  actorId?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  /** ISO time, inclusive. */
  since?: string;
  /** ISO time, exclusive. */
  until?: string;
  beforeSequence?: number;
  /** Only entries whose actor_org is one of these; null for every entry. An empty list matches nothing. */
  actorOrgs: readonly string[] | null;
  limit: number;
}

/** One page, newest first, and whether there are older entries after it. */
export async function findAuditPage(db: Kysely<Database>, filter: AdminAuditFilter): Promise<{ rows: AuditRow[]; more: boolean }> {
  if (filter.actorOrgs !== null && filter.actorOrgs.length === 0) return { rows: [], more: false };
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actorOrgs !== null) query = query.where('actor_org', 'in', [...filter.actorOrgs]);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.subjectType !== undefined) query = query.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.since !== undefined) query = query.where('occurred_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('occurred_at', '<', filter.until);
  if (filter.beforeSequence !== undefined) query = query.where('sequence', '<', filter.beforeSequence);
  const rows = await query.orderBy('sequence', 'desc').limit(filter.limit + 1).execute();
  return { rows: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}
