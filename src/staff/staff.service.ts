/**
 * Every staff change goes through here: the change and the neighbourhood's
 * "edited here" mark in one transaction, then one audit entry saying who changed
 * which part (names only, never contact details or biographies).
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../access/policy.ts';
import type { Action } from '../access/permissions.ts';
import { appendAuditWithin } from '../audit/audit.repository.ts';
import { AppError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import type { Store } from '../store/store.ts';
import { actingOrganisation } from './staff-access.ts';
import { markEditedLocally } from './staff.repository.ts';

export type RecordAction = 'record.create' | 'record.update' | 'record.delete';

export interface Editor {
  store: Store;
  actor: Actor;
  clientAddress: string;
  now: Date;
}

/** Who is making a change (the signed-in actor of a request access control has already let through, and its address). */
export function editorFor(ctx: AppContext, actor: Actor | null, clientAddress: string): Editor {
  if (!actor) throw new AppError('SC_ERR_FORBIDDEN');
  return { store: ctx.store, actor, clientAddress, now: ctx.now() };
}

export interface AuditNote {
  action: RecordAction;
  /** Which part changed ('priority', 'team_member', 'contact_details', …) and a name or title to find it by. */
  details: Record<string, unknown>;
}

async function audit(
  trx: Transaction<Database>,
  editor: Editor,
  permission: Action,
  forceId: string,
  id: string,
  note: AuditNote,
  subject?: { type: string; id: string },
): Promise<void> {
  await appendAuditWithin(trx, editor.store.kind, {
    action: note.action,
    actorId: editor.actor.personId,
    actorOrg: actingOrganisation(editor.actor, permission, { forceId, neighbourhoodId: id }),
    subjectType: subject?.type ?? 'neighbourhood',
    subjectId: subject?.id ?? `${forceId}/${id}`,
    clientAddress: editor.clientAddress,
    details: note.details,
  }, { now: () => editor.now });
}

/**
 * Runs `work`, marks the neighbourhood as edited here and writes the audit entry, all
 * in one transaction: the change is never stored unaudited, nor audited unstored.
 */
export async function changeNeighbourhood<T>(
  editor: Editor,
  forceId: string,
  id: string,
  note: AuditNote | ((result: T) => AuditNote),
  work: (trx: Transaction<Database>) => Promise<T>,
  permission: Action = 'neighbourhood.edit',
): Promise<T> {
  return editor.store.db.transaction().execute(async (trx) => {
    const value = await work(trx);
    await markEditedLocally(trx, forceId, id, editor.now);
    await audit(trx, editor, permission, forceId, id, typeof note === 'function' ? note(value) : note);
    return value;
  });
}

/** A force administrator's change that is not to one neighbourhood's page (a new team organisation). */
export async function changeForce<T>(
  editor: Editor,
  forceId: string,
  id: string,
  note: AuditNote,
  subject: { type: string; id: string },
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return editor.store.db.transaction().execute(async (trx) => {
    const value = await work(trx);
    await audit(trx, editor, 'neighbourhood.manage', forceId, id, note, subject);
    return value;
  });
}
