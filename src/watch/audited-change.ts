/**
 * What the Watch services share: running a change and its audit entry in one
 * transaction, queueing a notice email, and making a link to this site for one.
 * They take the application context and what the route knows of who is acting;
 * never Fastify's request or instance.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAuditWithin } from '../audit/audit.repository.ts';
import type { AuditEntryInput } from '../audit/audit.schema.ts';
import { auditAddress } from '../accounts/account.service.ts';
import { queueMail } from '../mail/mail.service.ts';
import type { Database } from '../store/database.ts';

type Tx = Transaction<Database>;

export interface Notice {
  name?: string;
  heading: string;
  paragraphs: string[];
  link?: { text: string; href: string };
}

/** Queues a notice email (in the caller's transaction when given one). */
export async function notify(ctx: AppContext, db: Tx | Kysely<Database>, to: string, notice: Notice): Promise<void> {
  await queueMail(db, ctx.config, { to, template: 'notice', data: notice }, ctx.now());
}

/** A link to this site for an email. */
export function siteLink(ctx: AppContext, path: string): string {
  return `${ctx.config.PUBLIC_URL}${path}`;
}

type AuditBase = Omit<AuditEntryInput, 'clientAddress'>;

/**
 * Runs `change` in a transaction and appends its audit entry there, so both commit
 * or neither does. The entry may depend on the result; null means nothing changed
 * and nothing is audited. The actor defaults to `actorId` (whoever is signed in);
 * `clientAddress` is the request's address as the route read it.
 */
export async function auditedChange<T>(
  ctx: AppContext,
  actorId: string | null,
  clientAddress: string | undefined,
  entry: AuditBase | ((result: T) => AuditBase | null),
  change: (tx: Tx) => Promise<T>,
): Promise<T> {
  const { store } = ctx;
  return store.db.transaction().execute(async (tx) => {
    const result = await change(tx);
    const base = typeof entry === 'function' ? entry(result) : entry;
    if (base === null) return result;
    // Members and coordinators act as residents, not for an employer: no organisation,
    // so one's own Watch activity never shows in an employer's audit view.
    await appendAuditWithin(tx, store.kind, { actorId, actorOrg: null, ...base, clientAddress: auditAddress(clientAddress) }, { now: ctx.now });
    return result;
  });
}
