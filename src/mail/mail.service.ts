/**
 * The one function other features call to send email: render a template and put the
 * result in the outbox. Nothing is sent here; the sender (mail-sender.ts) delivers
 * from the outbox, so queueing never waits on a mail server and never loses a message
 * when one is down.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/database.ts';
import { renderMail, type MailConfig, type MailTemplateName, type MailTemplates } from './mail.templates.ts';
import { enqueueMail, type OutboxMessage } from './outbox.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface MailRequest<T extends MailTemplateName> {
  /** One address, no display name: `sam@example.org`. */
  to: string;
  template: T;
  data: MailTemplates[T];
}

export class InvalidMailAddressError extends Error {
  override name = 'InvalidMailAddressError';
  constructor() {
    super('The recipient is not a single valid email address');
  }
}

// zod's email pattern refuses spaces, commas, angle brackets and line breaks, so one
// value can never become several recipients or a header.
const address = z.email().max(254);

/** True when `to` is one plain email address that queueMail accepts. */
export function isMailAddress(to: string): boolean {
  return address.safeParse(to).success;
}

type Listener = () => void;
const listeners = new Set<Listener>();

/**
 * Calls `listener` whenever a message is queued (the sender uses it to deliver at once
 * rather than at its next poll). Returns the function that stops the calls.
 */
export function onMailQueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells running senders there is mail: after queueMail, and after an administrator's retry. */
export function announceMailQueued(): void {
  for (const listener of listeners) listener();
}

/**
 * Renders `template` with `data` and queues it for `to`. Pass a transaction to make
 * the email part of the caller's change.
 * @throws InvalidMailAddressError, or the template's own errors (see renderMail).
 * @example await queueMail(trx, ctx.config, { to: person.email, template: 'verify-email', data: { name, link } }, ctx.now());
 */
export async function queueMail<T extends MailTemplateName>(db: Db, config: MailConfig, request: MailRequest<T>, now = new Date()): Promise<OutboxMessage> {
  const to = request.to.trim();
  if (!isMailAddress(to)) throw new InvalidMailAddressError();
  const rendered = renderMail(config, request.template, request.data);
  const message = await enqueueMail(db, { to, template: request.template, ...rendered }, now);
  // Inside a transaction the row is not visible until it commits; the sender then finds
  // it at its next poll, a few seconds later.
  announceMailQueued();
  return message;
}
