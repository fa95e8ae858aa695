/**
 * A scheme's updates: the coordinator writes one, it is emailed through the outbox
 * to every active member who has not opted out, each email with a link that stops
 * them without signing in, and a public one also shows on the scheme's page.
 *
 * The unsubscribe link carries the scheme and the person, signed with a key derived
 * from SECRET_KEY: it cannot be made for anyone else and needs nothing stored.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../access/policy.ts';
import type { AppContext } from '../app-context.ts';
import { claimFanOut } from '../throttle/fan-out.repository.ts';
import { WATCH_NEWS_FAN_OUT } from '../throttle/throttle.policies.ts';
import { auditedChange, notify, siteLink } from './audited-change.ts';
import { updateRecipients } from './membership.repository.ts';
import { insertUpdate, recentUpdatesOf } from './news.repository.ts';
import type { Scheme } from './schemes.repository.ts';

export const MAX_TITLE_LENGTH = 120;
/** The notice email holds at most 20 paragraphs of 2,000 characters; an update keeps within that. */
export const MAX_UPDATE_PARAGRAPHS = 18;
const MAX_PARAGRAPH_LENGTH = 2000;

let cachedKey: { secret: string; key: Buffer } | undefined;
function unsubscribeKey(secretKey: string): Buffer {
  if (cachedKey?.secret !== secretKey) {
    cachedKey = { secret: secretKey, key: Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.alloc(0), 'safe-communities watch unsubscribe', 32)) };
  }
  return cachedKey.key;
}

function mac(secretKey: string, payload: string): string {
  return createHmac('sha256', unsubscribeKey(secretKey)).update(payload).digest('base64url');
}

/** The token in an update's unsubscribe link. */
export function unsubscribeToken(secretKey: string, schemeId: string, personId: string): string {
  const payload = Buffer.from(JSON.stringify([schemeId, personId])).toString('base64url');
  return `${payload}.${mac(secretKey, payload)}`;
}

/** The scheme and person a token was made for, or null when it was not made here. */
export function readUnsubscribeToken(secretKey: string, token: string): { schemeId: string; personId: string } | null {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(secretKey, m[1]!));
  const given = Buffer.from(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { schemeId: value[0], personId: value[1] };
  } catch {
    // Signed but unreadable cannot happen with our own tokens; treat it as not ours.
  }
  return null;
}

/** An update's paragraphs (split at blank lines; a very long one split further), or null when there are too many. */
export function updateParagraphs(body: string): string[] | null {
  const paragraphs: string[] = [];
  for (const block of body.split(/\n\s*\n/)) {
    const text = block.replace(/\s*\n\s*/g, ' ').trim();
    for (let i = 0; i < text.length; i += MAX_PARAGRAPH_LENGTH) paragraphs.push(text.slice(i, i + MAX_PARAGRAPH_LENGTH));
  }
  return paragraphs.length > MAX_UPDATE_PARAGRAPHS ? null : paragraphs;
}

export interface NewUpdate {
  title: string;
  body: string;
  public: boolean;
}

/**
 * Stores the update and queues one email per recipient, with the audit entry, in one
 * transaction. Returns how many were emailed.
 * @throws FanOutLimited when the sender has sent too recently or too often today
 * (WATCH_NEWS_FAN_OUT): then nothing is stored or queued.
 */
export async function sendUpdate(ctx: AppContext, actor: Actor | null, scheme: Scheme, update: NewUpdate, clientAddress: string): Promise<number> {
  const now = ctx.now();
  const paragraphs = updateParagraphs(update.body) ?? [];
  const sender = actor?.personId ?? '';
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (emailed: number) => ({ action: 'record.create', subjectType: 'watch_news', subjectId: scheme.id, details: { public: update.public, emailedTo: emailed } }),
    async (tx) => {
      // Before anything is queued, in the same transaction: a refusal rolls everything back.
      await claimFanOut(tx, ctx.config.SECRET_KEY, WATCH_NEWS_FAN_OUT, sender, now);
      const recipients = await updateRecipients(tx, scheme.id);
      for (const member of recipients) {
        const token = unsubscribeToken(ctx.config.SECRET_KEY, scheme.id, member.person_id);
        await notify(ctx, tx, member.email, {
          name: member.name,
          heading: `${scheme.name}: ${update.title}`.slice(0, 200),
          paragraphs: [...paragraphs, `Sent by the coordinator of ${scheme.name}, a Neighbourhood Watch scheme you belong to. To stop these updates, use the link below.`],
          link: { text: `Stop updates from ${scheme.name}`.slice(0, 200), href: siteLink(ctx, `/watch/unsubscribe?token=${token}`) },
        });
      }
      await insertUpdate(tx, { schemeId: scheme.id, title: update.title, body: update.body, public: update.public, emailedTo: recipients.length, authorPersonId: sender, createdAt: now.toISOString() });
      return recipients.length;
    },
  );
}

/** The scheme's updates, newest first, for the coordinator tools. */
export async function updatesOf(ctx: AppContext, schemeId: string) {
  return recentUpdatesOf(ctx.store.db, schemeId);
}
