/**
 * Applying to join a scheme, and confirming an application by email.
 *
 * Someone not signed in gets the same answer whatever the address they typed
 * ("check your email"): a new address gets a person (status 'unverified') and an
 * unconfirmed membership with a link to confirm it; an address that is already a
 * member or has already applied is told so by email, and nothing on the page says
 * which happened. A signed-in person whose address is verified joins (or applies)
 * at once. On confirmation the membership becomes 'active' when the scheme lets
 * people join automatically and 'pending' when a coordinator decides; the scheme's
 * coordinator and deputies are emailed either way, never with the applicant's email.
 */
import type { Transaction } from 'kysely';
import type { Actor } from '../access/policy.ts';
import type { AppContext } from '../app-context.ts';
import { consumeAccountToken, createAccountToken } from '../accounts/account-tokens.repository.ts';
import { VERIFY_EMAIL_TTL_MINUTES } from '../accounts/account.service.ts';
import { hashPassword } from '../accounts/password.ts';
import { createPerson, findPersonByEmail, findPersonById, updatePerson, type Person } from '../accounts/people.repository.ts';
import type { Database } from '../store/database.ts';
import type { ApplicationForm } from './apply.schema.ts';
import { auditedChange, notify, siteLink } from './audited-change.ts';
import { findMembership, REAPPLICABLE, saveApplication, schemeLeaders, setMembershipStatus, type MembershipStatus } from './membership.repository.ts';
import { findScheme, type Scheme } from './schemes.repository.ts';

type Tx = Transaction<Database>;

export type ApplyOutcome =
  /** Not signed in (or an unverified address): the page says only "check your email". */
  | { kind: 'check-email' }
  /** Signed in: joined at once, or waiting for a coordinator. */
  | { kind: 'joined' | 'pending' }
  /** Signed in and already a member, or already waiting. */
  | { kind: 'already'; status: string };

export const CONFIRM_PATH = '/watch/join/confirm';

/** What a confirmed application becomes under the scheme's join policy. */
export function statusOnJoining(scheme: Pick<Scheme, 'join_policy'>): MembershipStatus {
  return scheme.join_policy === 'automatic' ? 'active' : 'pending';
}

/** A person for the address typed, created unverified when there is none; undefined for a suspended or removed one. */
async function personForEmail(ctx: AppContext, form: ApplicationForm): Promise<Person | undefined> {
  const { db } = ctx.store;
  let person = await findPersonByEmail(db, form.email);
  if (person === undefined) {
    try {
      person = await createPerson(db, { email: form.email, displayName: form.name, passwordHash: null, status: 'unverified' }, ctx.now());
    } catch (error) {
      // Two applications for one address at once: the unique index let one through.
      person = await findPersonByEmail(db, form.email);
      if (person === undefined) throw error;
    }
  }
  return person.status === 'active' || person.status === 'unverified' ? person : undefined;
}

async function tellAlreadyApplied(ctx: AppContext, person: Person, scheme: Scheme, status: string): Promise<void> {
  const paragraphs =
    status === 'active'
      ? [`Someone asked to join ${scheme.name} with this email address. You are already a member, so there is nothing more to do.`]
      : status === 'pending'
        ? [`Someone asked to join ${scheme.name} with this email address. You have already applied; the scheme’s coordinator will decide soon and we will email you.`]
        : [`Someone asked to join ${scheme.name} with this email address. Your membership was ended by the scheme, so you cannot apply again here. You can write to its coordinator from the scheme’s page.`];
  paragraphs.push('If this was not you, you do not need to do anything.');
  await notify(ctx, ctx.store.db, person.email, { name: person.display_name, heading: `Your application to join ${scheme.name}`, paragraphs, link: { text: 'See the scheme', href: siteLink(ctx, `/watch/schemes/${scheme.id}`) } });
}

/** Saves an unconfirmed application and emails the link that confirms it. */
async function applyByEmail(ctx: AppContext, actor: Actor | null, scheme: Scheme, person: Person, form: ApplicationForm, outsideArea: boolean, clientAddress: string): Promise<void> {
  const now = ctx.now();
  await auditedChange(ctx, actor?.personId ?? null, clientAddress, { action: 'record.create', actorId: person.id, subjectType: 'watch_membership', subjectId: `${scheme.id}/${person.id}`, details: { status: 'unconfirmed', outsideArea } }, async (tx) => {
    await saveApplication(tx, { schemeId: scheme.id, personId: person.id, name: form.name, street: form.street, outsideArea, status: 'unconfirmed', now });
  });
  const token = await createAccountToken(ctx.store.db, { purpose: 'watch_apply', personId: person.id, details: { watchSchemeId: scheme.id }, ttlMinutes: VERIFY_EMAIL_TTL_MINUTES, now });
  await notify(ctx, ctx.store.db, person.email, {
    name: form.name,
    heading: `Confirm your application to join ${scheme.name}`,
    paragraphs: [
      `You asked to join ${scheme.name}, a Neighbourhood Watch scheme. Confirm your email address to finish applying. The link works for 24 hours.`,
      'If you did not ask to join, you do not need to do anything: without confirmation nothing happens.',
    ],
    link: { text: 'Confirm your email address', href: siteLink(ctx, `${CONFIRM_PATH}?token=${encodeURIComponent(token)}`) },
  });
}

/** Emails the coordinator and deputies about a new member or application (name only, never contact details). */
export async function tellLeaders(ctx: AppContext, tx: Tx, scheme: Scheme, name: string, status: MembershipStatus, exceptPersonId?: string): Promise<void> {
  const joined = status === 'active';
  for (const leader of await schemeLeaders(tx, scheme.id)) {
    if (leader.person_id === exceptPersonId) continue;
    await notify(ctx, tx, leader.email, {
      name: leader.name,
      heading: joined ? `New member of ${scheme.name}` : `New application to join ${scheme.name}`,
      paragraphs: [joined ? `${name} has joined ${scheme.name}.` : `${name} has applied to join ${scheme.name}. Approve or decline the application in your coordinator tools.`],
      link: joined ? { text: 'See your members', href: siteLink(ctx, `/watch/coordinate/${scheme.id}/members`) } : { text: 'See applications', href: siteLink(ctx, `/watch/coordinate/${scheme.id}/applications`) },
    });
  }
}

/** Tells a person they have joined. */
export async function tellJoined(ctx: AppContext, db: Tx, to: string, name: string, scheme: Scheme): Promise<void> {
  await notify(ctx, db, to, {
    name,
    heading: `You have joined ${scheme.name}`,
    paragraphs: [`You are now a member of ${scheme.name}. Its coordinator will send you updates by email; every update has a link to stop them.`, 'You can see what we hold about you, leave the scheme or delete your account from your account’s Neighbourhood Watch page.'],
    link: { text: 'Your Neighbourhood Watch', href: siteLink(ctx, '/account/watch') },
  });
}

export async function applyToScheme(ctx: AppContext, actor: Actor | null, scheme: Scheme, form: ApplicationForm, outsideArea: boolean, clientAddress: string): Promise<ApplyOutcome> {
  const { db } = ctx.store;
  const person = actor ? await findPersonById(db, actor.personId) : await personForEmail(ctx, form);
  if (person === undefined) return { kind: 'check-email' };
  const existing = await findMembership(db, scheme.id, person.id);
  if (existing && !REAPPLICABLE.includes(existing.status)) {
    if (actor) return { kind: 'already', status: existing.status };
    await tellAlreadyApplied(ctx, person, scheme, existing.status);
    return { kind: 'check-email' };
  }
  if (!actor || person.email_verified_at === null) {
    await applyByEmail(ctx, actor, scheme, person, form, outsideArea, clientAddress);
    return { kind: 'check-email' };
  }
  const status = statusOnJoining(scheme);
  const now = ctx.now();
  await auditedChange(ctx, actor?.personId ?? null, clientAddress, { action: 'record.create', subjectType: 'watch_membership', subjectId: `${scheme.id}/${person.id}`, details: { status, outsideArea } }, async (tx) => {
    await saveApplication(tx, { schemeId: scheme.id, personId: person.id, name: form.name, street: form.street, outsideArea, status, now });
    await tellLeaders(ctx, tx, scheme, form.name, status, person.id);
    if (status === 'active') await tellJoined(ctx, tx, person.email, form.name, scheme);
  });
  return { kind: status === 'active' ? 'joined' : 'pending' };
}

export type ConfirmOutcome =
  | { kind: 'invalid' }
  | { kind: 'closed'; scheme: Scheme | undefined }
  | { kind: 'confirmed'; scheme: Scheme; status: MembershipStatus; person: Person; newAccount: boolean };

/**
 * Uses the emailed link: verifies the address, activates a new account (with the
 * password chosen, if any) and moves the membership on. Single use.
 */
export async function confirmApplication(ctx: AppContext, actor: Actor | null, token: string, password: string, clientAddress: string): Promise<ConfirmOutcome> {
  const { db } = ctx.store;
  const now = ctx.now();
  const grant = await consumeAccountToken(db, 'watch_apply', token, now);
  const schemeId = grant?.details.watchSchemeId;
  if (!grant || typeof schemeId !== 'string') return { kind: 'invalid' };
  const person = await findPersonById(db, grant.personId);
  const membership = person ? await findMembership(db, schemeId, person.id) : undefined;
  if (!person || !membership || membership.status !== 'unconfirmed' || (person.status !== 'active' && person.status !== 'unverified')) return { kind: 'invalid' };
  const scheme = await findScheme(db, schemeId);
  if (!scheme || scheme.status !== 'active') return { kind: 'closed', scheme };
  const status = statusOnJoining(scheme);
  const newAccount = person.status === 'unverified';
  // An unverified account's password was set by whoever signed up with this address,
  // which this link does not show was its owner: it is replaced (or cleared), never
  // trusted, so nobody can pre-register someone's address and wait for them to confirm.
  const hash = newAccount && password !== '' ? await hashPassword(password) : newAccount ? null : undefined;
  await auditedChange(ctx, actor?.personId ?? null, clientAddress, { action: 'record.update', actorId: person.id, subjectType: 'watch_membership', subjectId: `${scheme.id}/${person.id}`, details: { change: 'confirmed', status, newAccount } }, async (tx) => {
    if (newAccount || person.email_verified_at === null) {
      await updatePerson(tx, person.id, { status: 'active', email_verified_at: now.toISOString(), ...(hash !== undefined ? { password_hash: hash } : {}) }, now);
    }
    await setMembershipStatus(tx, { schemeId, personId: person.id }, { from: ['unconfirmed'], to: status, decidedBy: null, now });
    await tellLeaders(ctx, tx, scheme, membership.name, status);
    if (status === 'active') await tellJoined(ctx, tx, person.email, membership.name, scheme);
  });
  return { kind: 'confirmed', scheme, status, person: { ...person, status: 'active' }, newAccount };
}
