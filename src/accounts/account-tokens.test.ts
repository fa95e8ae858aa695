import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { consumeAccountToken, createAccountToken, peekAccountToken, pruneAccountTokens, revokeAccountTokens } from './account-tokens.repository.ts';

const now = new Date('2026-05-01T08:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describeEachStore('account tokens', (getStore) => {
  it('returns a 256-bit base64url token and stores only its SHA-256', async () => {
    const db = getStore().db;
    const raw = await createAccountToken(db, { purpose: 'verify_email', personId: 'p-store', ttlMinutes: 60, now });
    assert.match(raw, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(Buffer.from(raw, 'base64url').length * 8 >= 128);
    const rows = await db.selectFrom('account_tokens').selectAll().where('person_id', '=', 'p-store').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.token_hash, createHash('sha256').update(raw).digest('hex'));
    assert.ok(!JSON.stringify(rows).includes(raw));
    assert.equal(rows[0]!.expires_at, minutes(60).toISOString());
    assert.equal(rows[0]!.details, '{}');
    assert.notEqual(await createAccountToken(db, { purpose: 'verify_email', personId: 'p-store', ttlMinutes: 60, now }), raw);
  });

  it('gives the grant, details included, exactly once', async () => {
    const db = getStore().db;
    const details = { organisationId: 'hampshire-nw-12', role: 'coordinator' };
    const raw = await createAccountToken(db, { purpose: 'invite', personId: 'p-once', details, ttlMinutes: 60, now });
    assert.deepEqual(await consumeAccountToken(db, 'invite', raw, minutes(5)), { personId: 'p-once', details });
    assert.equal(await consumeAccountToken(db, 'invite', raw, minutes(6)), null);
    const row = await db.selectFrom('account_tokens').select('used_at').where('person_id', '=', 'p-once').executeTakeFirstOrThrow();
    assert.equal(row.used_at, minutes(5).toISOString());
  });

  it('refuses a token for another purpose, without using it up', async () => {
    const db = getStore().db;
    const raw = await createAccountToken(db, { purpose: 'recover', personId: 'p-purpose', ttlMinutes: 30, now });
    assert.equal(await consumeAccountToken(db, 'verify_email', raw, now), null);
    assert.equal(await consumeAccountToken(db, 'invite', raw, now), null);
    assert.equal(await peekAccountToken(db, 'invite', raw, now), null);
    assert.deepEqual(await consumeAccountToken(db, 'recover', raw, now), { personId: 'p-purpose', details: {} });
  });

  it('refuses a token at and after its expiry, but not a moment before', async () => {
    const db = getStore().db;
    const raw = await createAccountToken(db, { purpose: 'recover', personId: 'p-expiry', ttlMinutes: 30, now });
    assert.equal(await peekAccountToken(db, 'recover', raw, minutes(30)), null);
    assert.equal(await consumeAccountToken(db, 'recover', raw, minutes(30)), null);
    assert.equal(await consumeAccountToken(db, 'recover', raw, minutes(31)), null);
    assert.ok(await consumeAccountToken(db, 'recover', raw, new Date(minutes(30).getTime() - 1)));
  });

  it('refuses unknown and malformed tokens', async () => {
    const db = getStore().db;
    const raw = await createAccountToken(db, { purpose: 'verify_email', personId: 'p-unknown', ttlMinutes: 30, now });
    const altered = (raw[0] === 'A' ? 'B' : 'A') + raw.slice(1);
    for (const bad of ['', 'x', altered, `${raw}x`, raw.slice(1), `${raw.slice(0, -1)}=`, createHash('sha256').update(raw).digest('hex')]) {
      assert.equal(await consumeAccountToken(db, 'verify_email', bad, now), null, bad);
      assert.equal(await peekAccountToken(db, 'verify_email', bad, now), null, bad);
    }
    assert.ok(await peekAccountToken(db, 'verify_email', raw, now));
  });

  it('peeks without using the token, and stops showing it once used', async () => {
    const db = getStore().db;
    const raw = await createAccountToken(db, { purpose: 'invite', personId: 'p-peek', details: { role: 'member' }, ttlMinutes: 30, now });
    assert.deepEqual(await peekAccountToken(db, 'invite', raw, now), { personId: 'p-peek', details: { role: 'member' } });
    assert.deepEqual(await peekAccountToken(db, 'invite', raw, now), { personId: 'p-peek', details: { role: 'member' } });
    assert.ok(await consumeAccountToken(db, 'invite', raw, now));
    assert.equal(await peekAccountToken(db, 'invite', raw, now), null);
  });

  it('revokes the person’s tokens for one purpose only', async () => {
    const db = getStore().db;
    const r1 = await createAccountToken(db, { purpose: 'recover', personId: 'p-revoke', ttlMinutes: 30, now });
    const r2 = await createAccountToken(db, { purpose: 'recover', personId: 'p-revoke', ttlMinutes: 30, now });
    const verify = await createAccountToken(db, { purpose: 'verify_email', personId: 'p-revoke', ttlMinutes: 30, now });
    const someoneElse = await createAccountToken(db, { purpose: 'recover', personId: 'p-other', ttlMinutes: 30, now });
    assert.equal(await revokeAccountTokens(db, 'p-revoke', 'recover'), 2);
    assert.equal(await consumeAccountToken(db, 'recover', r1, now), null);
    assert.equal(await consumeAccountToken(db, 'recover', r2, now), null);
    assert.ok(await consumeAccountToken(db, 'verify_email', verify, now));
    assert.ok(await consumeAccountToken(db, 'recover', someoneElse, now));
  });

  it('lets exactly one of many concurrent requests consume the same token', async () => {
    const db = getStore().db;
    const raw = await createAccountToken(db, { purpose: 'recover', personId: 'p-race', ttlMinutes: 30, now });
    const results = await Promise.all(Array.from({ length: 20 }, () => consumeAccountToken(db, 'recover', raw, now)));
    assert.equal(results.filter((r) => r !== null).length, 1);
  });

  it('prunes expired tokens only', async () => {
    const db = getStore().db;
    const live = await createAccountToken(db, { purpose: 'recover', personId: 'p-prune', ttlMinutes: 600, now });
    await createAccountToken(db, { purpose: 'recover', personId: 'p-prune', ttlMinutes: 1, now });
    const pruned = await pruneAccountTokens(db, minutes(120));
    assert.ok(pruned >= 1);
    const left = await db.selectFrom('account_tokens').select('expires_at').where('expires_at', '<=', minutes(120).toISOString()).execute();
    assert.deepEqual(left, []);
    assert.ok(await consumeAccountToken(db, 'recover', live, minutes(120)));
  });

  it('refuses a non-positive lifetime', async () => {
    await assert.rejects(createAccountToken(getStore().db, { purpose: 'recover', personId: 'p', ttlMinutes: 0, now }), RangeError);
  });
});
