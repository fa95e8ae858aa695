/**
 * For the account route tests: the app on a moveable clock, a tiny browser that
 * keeps cookies between app.inject calls and reads CSRF tokens from forms, and
 * ways to read the outbox and seed people with passwords and roles.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../access/permissions.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { NewOrganisation } from '../organisations/organisations.repository.ts';
import { seedPerson, type SeedPerson } from '../sessions/session.test-helper.ts';
import type { Store } from '../store/store.ts';
import { hashPassword } from './password.ts';
import type { Person } from './people.repository.ts';
import { sealSecret } from './secret-box.ts';
import { newTotpSecret } from './totp.ts';

export class TestClock {
  at: number;
  constructor(start = '2025-03-03T09:00:00.000Z') {
    this.at = Date.parse(start);
  }
  now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export async function buildTestApp(store: Store, clock: TestClock, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0', ...env });
  const app = await buildApp(store, config, { now: clock.now });
  await app.ready();
  return app;
}

let addressCounter = 0;
/** A fresh client address per browser, so per-client throttles in one test do not touch another's. */
export function nextAddress(): string {
  addressCounter += 1;
  return `198.51.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

/** The _csrf value of the first form on a page. */
export function csrfIn(body: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!match) throw new Error(`no CSRF field in page:\n${body.slice(0, 400)}`);
  return match[1]!;
}

/** A page with its CSRF tokens (which differ per visitor) blanked, and each `replace` key swapped for its value. */
export function comparable(body: string, replace: Record<string, string> = {}): string {
  let out = body.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value="…"');
  for (const [from, to] of Object.entries(replace)) out = out.split(from).join(to);
  return out;
}

/** Cookies and a client address, like one browser. */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  readonly address: string;
  constructor(
    readonly app: FastifyInstance,
    options: { address?: string; userAgent?: string } = {},
  ) {
    this.address = options.address ?? nextAddress();
    this.userAgent = options.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
  }
  readonly userAgent: string;

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const gone = c.value === '' || (c.expires !== undefined && c.expires.getTime() <= Date.now()) || c.maxAge === 0;
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      remoteAddress: this.address,
      headers: { accept: 'text/html', cookie: this.cookieHeader(), 'user-agent': this.userAgent },
    });
    return this.keep(res);
  }

  /** POSTs a form; `_csrf` is added from `csrf` unless the fields already carry one. */
  async post(url: string, fields: Record<string, string>, csrf?: string): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams(csrf === undefined || '_csrf' in fields ? fields : { _csrf: csrf, ...fields }).toString();
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.address,
      payload: body,
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), 'user-agent': this.userAgent },
    });
    return this.keep(res);
  }

  /** Loads `pageUrl` and submits its form to `action` with its CSRF token. */
  async submit(pageUrl: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    if (page.statusCode !== 200) throw new Error(`GET ${pageUrl} answered ${page.statusCode}`);
    return this.post(action, fields, csrfIn(page.body));
  }

  sessionCookie(): string | undefined {
    return this.cookies.get('__Host-sc_session') ?? this.cookies.get('sc_session');
  }
}

export interface Mail {
  to_address: string;
  subject: string;
  text_body: string;
  template: string;
}

export async function mailsTo(store: Store, to: string, template?: string): Promise<Mail[]> {
  let query = store.db.selectFrom('outbox').select(['to_address', 'subject', 'text_body', 'template']).where('to_address', '=', to.toLowerCase());
  if (template !== undefined) query = query.where('template', '=', template);
  return query.orderBy('id').execute();
}

/** The path and query of the link to `path` in the newest mail to `to`. */
export async function linkInMail(store: Store, to: string, template: string, path: string): Promise<string> {
  const mails = await mailsTo(store, to, template);
  const mail = mails.at(-1);
  if (!mail) throw new Error(`no ${template} mail to ${to}`);
  const match = new RegExp(`https?://[^/\\s]+(${path.replace(/[/]/g, '\\/')}\\?token=[A-Za-z0-9_-]+)`).exec(mail.text_body);
  if (!match) throw new Error(`no ${path} link in:\n${mail.text_body}`);
  return match[1]!;
}

export async function auditActions(store: Store, actorId?: string): Promise<{ action: string; actor_id: string | null; details: string | null }[]> {
  let query = store.db.selectFrom('audit_log').select(['action', 'actor_id', 'details']);
  if (actorId !== undefined) query = query.where('actor_id', '=', actorId);
  return query.orderBy('sequence').execute();
}

let emailCounter = 0;
export function uniqueEmail(label = 'person'): string {
  emailCounter += 1;
  return `${label}${emailCounter}.${Date.now().toString(36)}@example.test`;
}

export const PASSWORD = 'correct horse battery staple';

/** A resident (no roles) with PASSWORD. */
export async function seedResident(store: Store, input: Partial<SeedPerson> = {}): Promise<Person> {
  return seedPerson(store, { email: uniqueEmail('resident'), passwordHash: await hashPassword(PASSWORD), ...input });
}

export const TEAM_ORG: NewOrganisation = { id: 'team-demo-dm01', name: 'DM01 neighbourhood team', type: 'neighbourhood_team', tier: 'local', forceId: 'demo', neighbourhoodId: 'DM01' };

/** Staff with PASSWORD and a role; with `totp`, an authentication app already set up (secret returned). */
export async function seedStaff(store: Store, secretKey: string, options: { totp?: boolean; role?: Role } = {}): Promise<{ person: Person; secret: string | null }> {
  const person = await seedPerson(store, {
    email: uniqueEmail('staff'),
    passwordHash: await hashPassword(PASSWORD),
    roles: [{ role: options.role ?? 'neighbourhood_officer', organisation: TEAM_ORG }],
  });
  if (!options.totp) return { person, secret: null };
  const secret = newTotpSecret();
  await store.db
    .updateTable('people')
    .set({ totp_secret: sealSecret(secretKey, secret), mfa_enabled_at: new Date(0).toISOString(), totp_last_step: null })
    .where('id', '=', person.id)
    .execute();
  return { person, secret };
}

/** Signs in with email and password from the sign-in page. */
export async function signIn(browser: TestBrowser, email: string, password = PASSWORD, next?: string): Promise<LightMyRequestResponse> {
  const fields: Record<string, string> = { email, password };
  if (next !== undefined) fields.next = next;
  return browser.submit('/sign-in', '/sign-in', fields);
}
