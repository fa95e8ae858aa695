/**
 * Delivers the outbox over SMTP: claims due messages, sends each with nodemailer and
 * records what happened. Runs in every app server when SMTP_URL is set; the claim in
 * outbox.repository.ts keeps servers from sending the same message.
 *
 * Logs carry message ids, statuses and SMTP codes, never subjects or bodies: bodies
 * hold one-time sign-in links, and logs are kept longer and read more widely than
 * the outbox.
 */
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../store/database.ts';
import { onMailQueued } from './mail.service.ts';
import { claimDueMail, markFailed, markSent, type OutboxMessage } from './outbox.repository.ts';

/** What sending needs from a nodemailer transport (tests may pass their own). */
export interface MailTransport {
  sendMail(message: OutgoingMail): Promise<unknown>;
}

export interface OutgoingMail {
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

export type MailSenderConfig = Pick<Config, 'MAIL_FROM' | 'PUBLIC_URL'>;

/** The parts of a pino/Fastify logger used here. */
export interface MailLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

const silent: MailLog = { info() {}, warn() {}, error() {} };

/** Messages claimed per round. */
export const BATCH_SIZE = 20;
/**
 * How long a claim lasts. Longer than a whole delivery can take with the transport's
 * timeouts (30 s to connect, 30 s for the greeting, 60 s of silence), or a slow send
 * would be claimed and sent again by another server.
 */
export const CLAIM_SECONDS = 300;

/**
 * A transport for SMTP_URL (smtp:// or smtps://, credentials in the URL). One connection
 * per message, not a pool: account email is a trickle, and a pool's idle connections go
 * stale behind firewalls. Timeouts are set so a dead server cannot hold a claim forever.
 */
export function createSmtpTransport(smtpUrl: string): MailTransport & { close(): void } {
  return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
}

export interface DeliveryOptions {
  limit?: number;
  claimSeconds?: number;
  log?: MailLog;
}

export interface DeliveryResult {
  claimed: number;
  sent: number;
  /** Failed and queued for a later attempt. */
  retrying: number;
  /** Failed for the last time. */
  dead: number;
}

function describeError(error: unknown): { text: string; code?: string; responseCode?: number } {
  if (!(error instanceof Error)) return { text: String(error) };
  // Nodemailer's errors carry these; `in` checks they are there before reading them.
  const code = 'code' in error ? error.code : undefined;
  const responseCode = 'responseCode' in error ? error.responseCode : undefined;
  return {
    text: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof responseCode === 'number' ? { responseCode } : {}),
  };
}

function outgoing(message: OutboxMessage, config: MailSenderConfig): OutgoingMail {
  return {
    from: config.MAIL_FROM,
    // An address object, not a string to parse: the stored address is the one recipient.
    to: { name: '', address: message.to_address },
    subject: message.subject,
    text: message.text_body,
    html: message.html_body,
    // The same id on every attempt, so a copy sent twice (at-least-once) can be recognised.
    messageId: `<outbox-${message.id}@${new URL(config.PUBLIC_URL).hostname}>`,
    // RFC 3834: tells out-of-office responders not to answer.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/**
 * Claims the messages due at `now` (up to `limit`), sends them one by one and records
 * each outcome: sent, queued for a retry with backoff, or dead after MAX_ATTEMPTS.
 */
export async function deliverDueMail(
  db: Kysely<Database>,
  transport: MailTransport,
  config: MailSenderConfig,
  now: Date,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const log = options.log ?? silent;
  const claimed = await claimDueMail(db, now, options.limit ?? BATCH_SIZE, options.claimSeconds ?? CLAIM_SECONDS);
  const result: DeliveryResult = { claimed: claimed.length, sent: 0, retrying: 0, dead: 0 };
  for (const message of claimed) {
    try {
      await transport.sendMail(outgoing(message, config));
    } catch (error) {
      const { text, ...codes } = describeError(error);
      const status = await markFailed(db, message.id, text, now);
      if (status === 'dead') result.dead += 1;
      else if (status === 'queued') result.retrying += 1;
      const details = { outboxId: message.id, template: message.template, attempts: message.attempts, status, ...codes };
      if (status === 'dead') log.error(details, 'email given up on after the last attempt');
      else log.warn(details, 'email not delivered; will retry');
      continue;
    }
    await markSent(db, message.id, now);
    result.sent += 1;
    log.info({ outboxId: message.id, template: message.template, attempts: message.attempts, status: 'sent' }, 'email sent');
  }
  return result;
}

export interface SenderOptions extends DeliveryOptions {
  /** How often to look for due mail (default 5 seconds). */
  intervalMs?: number;
  now?: () => Date;
}

export interface MailSender {
  /** Delivers soon (within a tenth of a second) rather than at the next poll. */
  nudge(): void;
  /** Stops polling and waits for a delivery in progress to finish. */
  stop(): Promise<void>;
}

/** Wait after a nudge: a message queued in a transaction is usually committed by then. */
const NUDGE_DELAY_MS = 100;

/**
 * Starts delivering in the background: at once, then every `intervalMs`, and soon
 * after each queueMail in this process. The timers are unref'd, so a sender never
 * keeps a process alive on its own.
 */
export function startMailSender(db: Kysely<Database>, transport: MailTransport, config: MailSenderConfig, options: SenderOptions = {}): MailSender {
  const intervalMs = options.intervalMs ?? 5000;
  const clock = options.now ?? (() => new Date());
  const log = options.log ?? silent;
  const limit = options.limit ?? BATCH_SIZE;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let nudged = false;
  let again = false;
  let running: Promise<void> | undefined;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };

  function run(): void {
    nudged = false;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const result = await deliverDueMail(db, transport, config, clock(), { ...options, limit, log });
          // A full batch: there is probably more waiting.
          if (result.claimed >= limit) again = true;
        } catch (error) {
          log.error({ err: error }, 'email delivery round failed');
          again = false;
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
      schedule(intervalMs);
    });
  }

  const unsubscribe = onMailQueued(() => sender.nudge());
  const sender: MailSender = {
    nudge() {
      if (stopped) return;
      if (running) {
        again = true;
      } else if (!nudged) {
        nudged = true;
        schedule(NUDGE_DELAY_MS);
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      await running;
    },
  };
  schedule(0);
  return sender;
}
