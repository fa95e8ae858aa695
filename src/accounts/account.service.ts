/**
 * What the account services and routes share: the audit and mail calls with the
 * app's clock, deciding which session stage a person gets after their password (a
 * second factor for anyone holding a role), and sealed form values. They take the
 * application context, never Fastify's request or instance; starting the session
 * and the account pages' headers are in account-http.ts.
 */
import type { AppContext } from '../app-context.ts';
import type { AuditEntryInput } from '../audit/audit.schema.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { MFA_REQUIRED_FOR_ANY_ROLE } from '../access/permissions.ts';
import { queueMail } from '../mail/mail.service.ts';
import type { MailTemplateName, MailTemplates } from '../mail/mail.templates.ts';
import { heldRoles } from '../organisations/organisations.repository.ts';
import type { SessionStage } from '../sessions/session.repository.ts';
import type { Person } from './people.repository.ts';
import { openSecret, sealSecret } from './secret-box.ts';

/** An email verification link lasts a day: people do not always read email at once. */
export const VERIFY_EMAIL_TTL_MINUTES = 24 * 60;
/** A recovery link lasts an hour: long enough to open the email, short enough to go stale. */
export const RECOVER_TTL_MINUTES = 60;
/** A page with a new authenticator secret may be left open this long before it must be reloaded. */
export const ENROL_FORM_MINUTES = 30;

/** Where a fully signed-in person goes when nothing else was asked for. */
export const HOME_AFTER_SIGN_IN = '/account';

/** The client address as the audit log accepts it (an IP address), or null. */
export function auditAddress(ip: string | undefined): string | null {
  return ip !== undefined && /^[0-9A-Za-z.:%_-]{1,64}$/.test(ip) ? ip : null;
}

/** Appends to the audit log with the client's address (as the route read it) and the app's clock. */
export async function audit(ctx: AppContext, clientAddress: string | undefined, entry: Omit<AuditEntryInput, 'clientAddress'>): Promise<void> {
  await appendAudit(ctx.store, { ...entry, clientAddress: auditAddress(clientAddress) }, { now: ctx.now });
}

/** Queues an email with the app's clock; delivery happens from the outbox. */
export async function sendMail<T extends MailTemplateName>(ctx: AppContext, to: string, template: T, data: MailTemplates[T]): Promise<void> {
  await queueMail(ctx.store.db, ctx.config, { to, template, data }, ctx.now());
}

/** An absolute link to this site for an email, carrying a one-time token. */
export function emailLink(ctx: AppContext, path: string, token?: string): string {
  const base = `${ctx.config.PUBLIC_URL}${path}`;
  return token === undefined ? base : `${base}?token=${encodeURIComponent(token)}`;
}

export function hasSecondFactor(person: Person): boolean {
  return person.totp_secret !== null && person.mfa_enabled_at !== null;
}

/**
 * The stage a person's session starts at once their password (or an emailed link)
 * is accepted: 'mfa' when they have an authenticator app, 'enrol' when they hold a
 * role but have none yet, otherwise 'full'.
 */
export async function stageAfterPassword(ctx: AppContext, person: Person): Promise<SessionStage> {
  if (hasSecondFactor(person)) return 'mfa';
  const roles = await heldRoles(ctx.store.db, person.id);
  return MFA_REQUIRED_FOR_ANY_ROLE && roles.length > 0 ? 'enrol' : 'full';
}

/**
 * A value put in a hidden field that the browser cannot read or change: sealed with
 * SECRET_KEY (AES-GCM), bound to one purpose and one person, and dated.
 */
export function sealFormValue(ctx: AppContext, purpose: string, personId: string, minutes: number, data: Record<string, string> = {}): string {
  const expires = ctx.now().getTime() + minutes * 60_000;
  return sealSecret(ctx.config.SECRET_KEY, JSON.stringify({ purpose, personId, expires, data }));
}

/** The data sealed by sealFormValue, or null when it is not for this purpose and person, has expired or was altered. */
export function openFormValue(ctx: AppContext, sealed: string, purpose: string, personId: string | null): { personId: string; data: Record<string, string> } | null {
  if (sealed === '' || sealed.length > 2000) return null;
  try {
    const value = JSON.parse(openSecret(ctx.config.SECRET_KEY, sealed)) as { purpose?: unknown; personId?: unknown; expires?: unknown; data?: unknown };
    if (value.purpose !== purpose || typeof value.personId !== 'string' || typeof value.expires !== 'number') return null;
    if (personId !== null && value.personId !== personId) return null;
    if (value.expires <= ctx.now().getTime()) return null;
    const data = value.data !== null && typeof value.data === 'object' ? (value.data as Record<string, string>) : {};
    return { personId: value.personId, data };
  } catch {
    return null;
  }
}

/** A short, plain description of a browser from its user agent, for the sessions list. */
export function describeDevice(userAgent: string | null): string {
  if (userAgent === null || userAgent.trim() === '') return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const system = /iPhone|iPad/.test(userAgent)
    ? 'iPhone or iPad'
    : /Android/.test(userAgent)
      ? 'Android'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'Mac'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  if (browser && system) return `${browser} on ${system}`;
  return userAgent.slice(0, 80);
}

/** "5 minutes", "1 minute", rounded up from seconds. */
export function minutesText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/** "30 seconds" or, from 90 seconds up, minutes. */
export function waitText(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} ${Math.ceil(seconds) === 1 ? 'second' : 'seconds'}`;
  return minutesText(seconds);
}
