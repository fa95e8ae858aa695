/**
 * Relaying messages between the public and a scheme's coordinators without either
 * side seeing the other's email address, and guarding it against abuse with no
 * third-party service: a signed time stamp in the form (a person takes more than a
 * few seconds; a script does not), a honeypot field, rate limits per client, per
 * sender address and per conversation, and a "report abuse" button that stops the
 * conversation and tells the force area's Watch administrators.
 *
 * The sender reads and answers a conversation through a secret link. The link's key
 * is an HMAC of the thread id under SECRET_KEY, so it can be put in every reply
 * notice, while the store keeps only its SHA-256 (a copy of the database cannot
 * open a conversation).
 */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../access/policy.ts';
import type { AppContext } from '../app-context.ts';
import { auditedChange, notify, siteLink } from './audited-change.ts';
import { schemeLeaders } from './membership.repository.ts';
import { addMessage, createThread, setThreadStatus, threadSecrets, watchAdministrators, type Direction } from './relay.repository.ts';
import type { Scheme } from './schemes.repository.ts';

/** A person needs longer than this to fill in the form; a script does not. */
export const MIN_FILL_SECONDS = 3;
/** A form older than this is sent again with a fresh stamp. */
export const MAX_FORM_AGE_SECONDS = 24 * 60 * 60;

export const RELAY_SCOPES = Object.freeze({ client: 'watch-relay:client', sender: 'watch-relay:sender', thread: 'watch-relay:thread' });
/** New conversations per client address. */
export const RELAY_PER_CLIENT = Object.freeze({ limit: 10, windowSeconds: 60 * 60 });
/** New conversations per sender address: a flood from one sender stops here. */
export const RELAY_PER_SENDER = Object.freeze({ limit: 5, windowSeconds: 60 * 60 });
/** Messages in one conversation from either side. */
export const RELAY_PER_THREAD = Object.freeze({ limit: 20, windowSeconds: 60 * 60 });

export const MAX_SUBJECT_LENGTH = 120;
export const MAX_MESSAGE_LENGTH = 5000;
/** The honeypot's name: tempting to a form-filling script, hidden from people and screen readers. */
export const HONEYPOT_FIELD = 'website';

const keys = new Map<string, Buffer>();
function keyFor(secretKey: string, purpose: string): Buffer {
  const id = `${purpose}\0${secretKey}`;
  let key = keys.get(id);
  if (key === undefined) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.alloc(0), `safe-communities ${purpose}`, 32));
    keys.set(id, key);
  }
  return key;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The form's stamp: when it was served, signed, for one scheme. */
export function formStamp(secretKey: string, schemeId: string, now: Date): string {
  const ms = String(now.getTime());
  const mac = createHmac('sha256', keyFor(secretKey, 'watch relay form')).update(`${schemeId}:${ms}`).digest('base64url');
  return `${ms}.${mac}`;
}

export type StampCheck = 'ok' | 'too-fast' | 'expired' | 'invalid';

export function checkStamp(secretKey: string, schemeId: string, stamp: string, now: Date): StampCheck {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(stamp);
  if (!m) return 'invalid';
  const expected = createHmac('sha256', keyFor(secretKey, 'watch relay form')).update(`${schemeId}:${m[1]}`).digest('base64url');
  if (!sameText(m[2]!, expected)) return 'invalid';
  const age = (now.getTime() - Number(m[1])) / 1000;
  if (age < MIN_FILL_SECONDS) return 'too-fast';
  if (age > MAX_FORM_AGE_SECONDS) return 'expired';
  return 'ok';
}

/** The key in the sender's secret link for a thread. */
export function threadKey(secretKey: string, threadId: string): string {
  return createHmac('sha256', keyFor(secretKey, 'watch thread link')).update(threadId).digest('base64url');
}

export function hashThreadKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The sender's link to read and answer a thread. */
export function senderLinkPath(secretKey: string, threadId: string): string {
  return `/watch/threads/${threadId}?key=${threadKey(secretKey, threadId)}`;
}

/** True when `key` opens the thread (compared by hash, in constant time). */
export async function senderKeyOpens(ctx: AppContext, threadId: string, key: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(key) || !/^[A-Za-z0-9_-]{22}$/.test(threadId)) return false;
  const thread = await threadSecrets(ctx.store.db, threadId);
  return thread !== undefined && sameText(hashThreadKey(key), thread.sender_token_hash);
}

export interface NewMessage {
  senderName: string;
  senderEmail: string;
  subject: string;
  body: string;
}

/** Starts a conversation and tells the coordinator and deputies (never the sender's address). Returns the thread id. */
export async function sendToScheme(ctx: AppContext, actor: Actor | null, scheme: Scheme, message: NewMessage, clientAddress: string): Promise<string> {
  const id = randomBytes(16).toString('base64url');
  const now = ctx.now();
  await auditedChange(ctx, actor?.personId ?? null, clientAddress, { action: 'record.create', subjectType: 'watch_thread', subjectId: id, details: { schemeId: scheme.id } }, async (tx) => {
    await createThread(tx, {
      id,
      schemeId: scheme.id,
      senderPersonId: actor?.personId ?? null,
      senderName: message.senderName,
      senderEmail: message.senderEmail,
      tokenHash: hashThreadKey(threadKey(ctx.config.SECRET_KEY, id)),
      subject: message.subject,
      body: message.body,
      now,
    });
    for (const leader of await schemeLeaders(tx, scheme.id)) {
      await notify(ctx, tx, leader.email, {
        name: leader.name,
        heading: `New message for ${scheme.name}`,
        paragraphs: [`${message.senderName} has written to ${scheme.name} about “${message.subject}”.`, 'Read and answer it in your coordinator tools. Your email address is not shown to them, and theirs is not shown to you.'],
        link: { text: 'Read the message', href: siteLink(ctx, `/watch/coordinate/${scheme.id}/messages/${id}`) },
      });
    }
  });
  return id;
}

/**
 * Adds a message to an open thread and tells the other side: the sender by their
 * secret link, or the coordinator and deputies by their tools. Returns false when
 * the thread is not open (reported or closed): nothing is relayed then.
 */
export async function relayMessage(ctx: AppContext, actor: Actor | null, scheme: Scheme, threadId: string, direction: Direction, body: string, clientAddress: string): Promise<boolean> {
  const now = ctx.now();
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (added: boolean) => (added ? { action: 'record.create', subjectType: 'watch_message', subjectId: threadId, details: { direction } } : null),
    async (tx) => {
      const thread = await threadSecrets(tx, threadId);
      if (!thread || thread.scheme_id !== scheme.id || thread.status !== 'open') return false;
      await addMessage(tx, { threadId, direction, authorPersonId: actor?.personId ?? null, body, now });
      if (direction === 'to_sender') {
        await notify(ctx, tx, thread.sender_email, {
          name: thread.sender_name,
          heading: `A reply from ${scheme.name}`,
          paragraphs: [`The coordinator of ${scheme.name} has replied to your message.`, 'Read it, and answer if you want to, with the link below. Keep this email: the link is how you get back to the conversation.'],
          link: { text: 'Read the reply', href: siteLink(ctx, senderLinkPath(ctx.config.SECRET_KEY, threadId)) },
        });
      } else {
        for (const leader of await schemeLeaders(tx, scheme.id)) {
          await notify(ctx, tx, leader.email, {
            name: leader.name,
            heading: `${thread.sender_name} has answered`,
            paragraphs: [`${thread.sender_name} has answered in a conversation with ${scheme.name}.`],
            link: { text: 'Read the answer', href: siteLink(ctx, `/watch/coordinate/${scheme.id}/messages/${threadId}`) },
          });
        }
      }
      return true;
    },
  );
}

/**
 * Marks a thread as reported: nothing more is relayed either way, and the force
 * area's Watch administrators are told (with a link to read it). Audited.
 */
export async function reportThread(ctx: AppContext, actor: Actor | null, scheme: Scheme, threadId: string, by: 'sender' | 'coordinator', clientAddress: string): Promise<void> {
  await auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (changed: boolean) => (changed ? { action: 'record.update', subjectType: 'watch_thread', subjectId: threadId, details: { change: 'reported', by, schemeId: scheme.id } } : null),
    async (tx) => {
      const changed = await setThreadStatus(tx, threadId, 'reported');
      if (!changed) return false;
      for (const admin of await watchAdministrators(tx, scheme.force_id)) {
        await notify(ctx, tx, admin.email, {
          name: admin.display_name,
          heading: `Abuse reported in a conversation with ${scheme.name}`,
          paragraphs: [`The ${by === 'sender' ? 'person who wrote to the scheme' : 'scheme’s coordinator'} has reported a conversation with ${scheme.name} as abusive. No more messages are relayed in it.`],
          link: { text: 'Read the conversation', href: siteLink(ctx, `/watch/reported/${threadId}`) },
        });
      }
      return true;
    },
  );
}
