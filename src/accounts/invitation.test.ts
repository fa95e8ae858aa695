import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { addMembership, heldRoles } from '../organisations/organisations.repository.ts';
import { ensureOrganisation } from '../sessions/session.test-helper.ts';
import { findSession } from '../sessions/session.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { createAccountToken } from './account-tokens.repository.ts';
import { createPerson, findPersonById, type Person } from './people.repository.ts';
import { auditActions, buildTestApp, csrfIn, MINUTE, seedResident, TEAM_ORG, TestBrowser, TestClock, uniqueEmail } from './sign-in.test-helper.ts';

describeEachStore('accepting an invitation', (getStore) => {
  const clock = new TestClock();
  let app: FastifyInstance;
  let inviter: Person;
  before(async () => {
    app = await buildTestApp(getStore(), clock);
    await ensureOrganisation(getStore(), TEAM_ORG);
    inviter = await seedResident(getStore(), { displayName: 'Pat Sergeant' });
  });
  after(async () => {
    await app.close();
  });

  /** What the administration pages do: a person with no password, the role, and an 'invite' link. */
  async function invited(): Promise<{ person: Person; link: string }> {
    const db = getStore().db;
    const person = await createPerson(db, { email: uniqueEmail('invitee'), displayName: 'New Officer', status: 'unverified' }, clock.now());
    await addMembership(db, person.id, TEAM_ORG.id, 'neighbourhood_officer', inviter.id, clock.now());
    const token = await createAccountToken(db, {
      purpose: 'invite',
      personId: person.id,
      details: { organisationId: TEAM_ORG.id, role: 'neighbourhood_officer', invitedBy: inviter.id },
      ttlMinutes: 7 * 24 * 60,
      now: clock.now(),
    });
    return { person, link: `/invitation?token=${token}` };
  }
  const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!;

  it('grants an existing account the role only when its owner accepts, and then asks for a second factor at sign-in', async () => {
    const db = getStore().db;
    const resident = await seedResident(getStore(), { displayName: 'Already Here' });
    const token = await createAccountToken(db, {
      purpose: 'invite',
      personId: resident.id,
      details: { organisationId: TEAM_ORG.id, role: 'neighbourhood_officer', invitedBy: inviter.id },
      ttlMinutes: 60,
      now: clock.now(),
    });
    const browser = new TestBrowser(app);
    const page = await browser.get(`/invitation?token=${token}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Accept the invitation/);
    assert.deepEqual(await heldRoles(db, resident.id), [], 'nothing is granted by opening the link');
    const accepted = await browser.post('/invitation', { token }, csrfIn(page.body));
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/sign-in');
    assert.deepEqual((await heldRoles(db, resident.id)).map((r) => [r.organisationId, r.role]), [[TEAM_ORG.id, 'neighbourhood_officer']]);
    assert.ok((await auditActions(getStore(), resident.id)).some((e) => e.action === 'account.invitation_accepted'));
    assert.equal((await browser.get(`/invitation?token=${token}`)).statusCode, 400, 'the link works once');
  });

  it('shows the organisation and role, then sets the password and goes on to set up an authentication app', async () => {
    const { person, link } = await invited();
    const browser = new TestBrowser(app);
    const page = await browser.get(link);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['referrer-policy'], 'strict-origin', 'the token never leaves in a Referer');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /DM01 neighbourhood team/);
    assert.match(page.body, /Neighbourhood officer/);
    assert.match(page.body, /Pat Sergeant has invited you/);

    const weak = await browser.post('/invitation', { token: tokenOf(link), name: 'Jo Officer', password: 'short' }, csrfIn(page.body));
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /8 characters or more/);
    const res = await browser.post('/invitation', { token: tokenOf(link), name: 'Jo Officer', password: 'bluebells in the wood' }, csrfIn(page.body));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/two-factor/set-up');
    assert.equal((await findSession(getStore().db, browser.sessionCookie()!))?.stage, 'enrol');
    assert.equal((await browser.get('/account/two-factor/set-up')).statusCode, 200);

    const stored = (await findPersonById(getStore().db, person.id))!;
    assert.equal(stored.status, 'active');
    assert.equal(stored.display_name, 'Jo Officer');
    assert.ok(stored.email_verified_at);
    assert.ok(stored.password_hash?.startsWith('$argon2id$'));
    assert.ok((await auditActions(getStore(), person.id)).some((e) => e.action === 'account.invitation_accepted'));
    assert.equal((await new TestBrowser(app).get(link)).statusCode, 400, 'the invitation works once');
  });

  it('refuses a made-up, used or expired invitation', async () => {
    assert.equal((await new TestBrowser(app).get('/invitation?token=made-up')).statusCode, 400);
    assert.equal((await new TestBrowser(app).get('/invitation')).statusCode, 400);
    const { link } = await invited();
    clock.advance(7 * 24 * 60 * MINUTE + MINUTE);
    const res = await new TestBrowser(app).get(link);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Ask the person who invited you/);
  });
});
