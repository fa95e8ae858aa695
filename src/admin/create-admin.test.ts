import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { peekAccountToken } from '../accounts/account-tokens.repository.ts';
import { createPerson, findPersonByEmail } from '../accounts/people.repository.ts';
import { verifyAuditChain } from '../audit/audit-verify.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { openStore, type Store } from '../store/store.ts';

const BIN = fileURLToPath(new URL('../../bin/safe-communities.js', import.meta.url));
const PUBLIC_URL = 'https://safe.example.test';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(url: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'create-admin', ...args],
      { env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: url, PUBLIC_URL, LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function linkIn(text: string): { link: string; token: string } {
  const match = /(https:\/\/safe\.example\.test\/invitation\?token=([A-Za-z0-9_-]{43}))/.exec(text);
  assert.ok(match, `no invitation link in: ${text}`);
  return { link: match[1]!, token: match[2]! };
}

/** Opens the file for a look and closes it again, so the next command has it to itself. */
async function inspect<T>(url: string, look: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url);
  try {
    return await look(store);
  } finally {
    await store.close();
  }
}

describe('safe-communities create-admin (as a command, on a SQLite file)', () => {
  let dir: string;
  let url: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'create-admin-'));
    url = `sqlite:${join(dir, 'store.db')}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the first administrator: platform organisation, unverified person, role, invitation link and email, audit entries', async () => {
    const result = await run(url, 'Ada.Admin@Example.test', '--name', 'Ada Admin');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Created the "platform" organisation\.\nCreated an account for ada\.admin@example\.test\.\nMade ada\.admin@example\.test a platform administrator\.\n/);
    const { link, token } = linkIn(result.stdout);

    await inspect(url, async (store) => {
      const org = await findOrganisation(store.db, 'platform');
      assert.deepEqual(org && [org.type, org.tier, org.status], ['platform', 'national', 'active']);
      const person = await findPersonByEmail(store.db, 'ada.admin@example.test');
      assert.ok(person);
      assert.deepEqual([person.status, person.password_hash, person.display_name], ['unverified', null, 'Ada Admin']);
      const memberships = await store.db.selectFrom('memberships').select(['organisation_id', 'role', 'granted_by']).where('person_id', '=', person.id).execute();
      assert.deepEqual(memberships, [{ organisation_id: 'platform', role: 'platform_admin', granted_by: null }]);

      const grant = await peekAccountToken(store.db, 'invite', token, new Date());
      assert.equal(grant?.personId, person.id);
      const expires = await store.db.selectFrom('account_tokens').select(['created_at', 'expires_at']).where('person_id', '=', person.id).executeTakeFirstOrThrow();
      assert.equal(Date.parse(expires.expires_at) - Date.parse(expires.created_at), 7 * 24 * 3_600_000);
      const mail = await store.db.selectFrom('outbox').selectAll().where('to_address', '=', person.email).execute();
      assert.deepEqual(mail.map((m) => m.template), ['invitation']);
      assert.ok(mail[0]!.text_body.includes(link), 'the email carries the printed link');

      const audit = await store.db.selectFrom('audit_log').selectAll().orderBy('sequence').execute();
      assert.deepEqual(audit.map((e) => [e.action, e.subject_type, e.actor_id, e.actor_org, JSON.parse(e.details ?? '{}').via]), [
        ['organisation.create', 'organisation', null, null, 'cli'],
        ['account.create', 'person', null, null, 'cli'],
        ['role.change', 'person', null, null, 'cli'],
      ]);
      assert.equal((await verifyAuditChain(store)).ok, true);
    });
  });

  it('sends a new link when run again for someone who has not accepted; the old link stops working', async () => {
    const first = await inspect(url, async (store) => store.db.selectFrom('account_tokens').select('token_hash').execute());
    const result = await run(url, 'ada.admin@example.test');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ada\.admin@example\.test was already a platform administrator\./);
    const { token } = linkIn(result.stdout);
    await inspect(url, async (store) => {
      const now = await store.db.selectFrom('account_tokens').select('token_hash').execute();
      assert.equal(now.length, 1);
      assert.notEqual(now[0]!.token_hash, first[0]!.token_hash);
      assert.ok(await peekAccountToken(store.db, 'invite', token, new Date()));
      const last = await store.db.selectFrom('audit_log').select(['action', 'actor_id']).orderBy('sequence', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.deepEqual(last, { action: 'account.invite', actor_id: null });
      assert.equal((await store.db.selectFrom('memberships').select('role').execute()).length, 1, 'no second membership');
    });
  });

  it('makes someone with an account an administrator without a link, and tells them', async () => {
    await inspect(url, (store) => createPerson(store.db, { email: 'sam@example.test', displayName: 'Sam', passwordHash: 'hash', status: 'active', emailVerified: true }));
    const result = await run(url, 'sam@example.test');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Made sam@example\.test a platform administrator\./);
    assert.match(result.stdout, /sign in as usual/);
    assert.ok(!result.stdout.includes('/invitation?token='));
    await inspect(url, async (store) => {
      const mail = await store.db.selectFrom('outbox').select('template').where('to_address', '=', 'sam@example.test').execute();
      assert.deepEqual(mail.map((m) => m.template), ['notice']);
    });
  });

  it('refuses a bad address (exit 2) and a closed account (exit 1) with a clear message, changing nothing', async () => {
    const before = await inspect(url, async (store) => (await store.db.selectFrom('audit_log').select('sequence').execute()).length);
    const bad = await run(url, 'not-an-address');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /error: "not-an-address" is not an email address: enter an email address in the correct format/);
    await inspect(url, (store) => createPerson(store.db, { email: 'gone@example.test', displayName: 'Gone', status: 'removed' }));
    const closed = await run(url, 'gone@example.test');
    assert.equal(closed.code, 1);
    assert.match(closed.stderr, /error: The account for gone@example\.test was closed and cannot be used again; use another address/);
    const missing = await run(url);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /missing required argument 'email'/);
    await inspect(url, async (store) => {
      assert.equal((await store.db.selectFrom('audit_log').select('sequence').execute()).length, before);
      assert.equal(await findPersonByEmail(store.db, 'not-an-address'), undefined);
      assert.equal((await store.db.selectFrom('memberships').select('role').where('role', '=', 'platform_admin').execute()).length, 2);
    });
  });
});
