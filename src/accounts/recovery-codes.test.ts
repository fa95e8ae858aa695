import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { RECOVERY_ALPHABET, countUnusedRecoveryCodes, issueRecoveryCodes, useRecoveryCode } from './recovery-codes.ts';

const now = new Date('2026-04-01T09:00:00Z');
const later = new Date('2026-04-01T09:05:00Z');

describeEachStore('recovery codes', (getStore) => {
  it('issues ten distinct codes of 16 unambiguous symbols (80 bits) in groups of four', async () => {
    const codes = await issueRecoveryCodes(getStore().db, 'p-format', now);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) {
      assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      for (const c of code.replaceAll('-', '')) assert.ok(RECOVERY_ALPHABET.includes(c), `${c} in ${code}`);
      assert.doesNotMatch(code, /[01IO]/);
    }
    assert.equal(RECOVERY_ALPHABET.length, 32);
    assert.equal(new Set(RECOVERY_ALPHABET).size, 32);
  });

  it('uses every symbol of the alphabet (no bias towards a few)', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) for (const code of await issueRecoveryCodes(getStore().db, 'p-spread', now)) for (const c of code) seen.add(c);
    seen.delete('-');
    assert.equal(seen.size, 32); // 1,600 symbols drawn: missing one by chance is ~1e-21
  });

  it('stores only SHA-256 hashes, never the codes', async () => {
    const codes = await issueRecoveryCodes(getStore().db, 'p-hash', now);
    const rows = await getStore().db.selectFrom('recovery_codes').selectAll().where('person_id', '=', 'p-hash').execute();
    assert.equal(rows.length, 10);
    const hashes = new Set(rows.map((r) => r.code_hash));
    for (const code of codes) {
      assert.ok(hashes.has(createHash('sha256').update(code.replaceAll('-', '')).digest('hex')));
      for (const row of rows) assert.ok(!row.code_hash.includes(code.replaceAll('-', '')));
    }
    assert.ok(rows.every((r) => r.used_at === null && r.created_at === now.toISOString()));
  });

  it('accepts each code once, ignoring case, spaces and dashes', async () => {
    const db = getStore().db;
    const [a, b, c] = await issueRecoveryCodes(db, 'p-use', now);
    assert.equal(await countUnusedRecoveryCodes(db, 'p-use'), 10);
    assert.equal(await useRecoveryCode(db, 'p-use', a!, later), true);
    assert.equal(await useRecoveryCode(db, 'p-use', a!, later), false);
    assert.equal(await useRecoveryCode(db, 'p-use', ` ${b!.toLowerCase().replaceAll('-', ' ')} `, later), true);
    assert.equal(await useRecoveryCode(db, 'p-use', c!.replaceAll('-', '').replace(/(.{8})/, '$1\u2013'), later), true);
    assert.equal(await countUnusedRecoveryCodes(db, 'p-use'), 7);
    const used = await db.selectFrom('recovery_codes').select('used_at').where('person_id', '=', 'p-use').where('used_at', 'is not', null).execute();
    assert.deepEqual(used.map((r) => r.used_at), Array(3).fill(later.toISOString()));
  });

  it('refuses wrong, malformed and other people’s codes', async () => {
    const db = getStore().db;
    const [mine] = await issueRecoveryCodes(db, 'p-mine', now);
    await issueRecoveryCodes(db, 'p-theirs', now);
    assert.equal(await useRecoveryCode(db, 'p-theirs', mine!, later), false);
    for (const typed of ['', 'ABCD-EFGH-JKLM-NPQR', mine!.slice(0, -1), `${mine!}A`, mine!.replace(/^./, '0')]) {
      assert.equal(await useRecoveryCode(db, 'p-mine', typed, later), false, typed);
    }
    assert.equal(await countUnusedRecoveryCodes(db, 'p-mine'), 10);
    assert.equal(await useRecoveryCode(db, 'p-mine', mine!, later), true);
  });

  it('replaces the old codes when new ones are issued', async () => {
    const db = getStore().db;
    const old = await issueRecoveryCodes(db, 'p-renew', now);
    await useRecoveryCode(db, 'p-renew', old[0]!, now);
    const fresh = await issueRecoveryCodes(db, 'p-renew', later);
    assert.equal(await countUnusedRecoveryCodes(db, 'p-renew'), 10);
    assert.equal(await useRecoveryCode(db, 'p-renew', old[1]!, later), false);
    assert.equal(await useRecoveryCode(db, 'p-renew', fresh[1]!, later), true);
    assert.equal((await db.selectFrom('recovery_codes').select('person_id').where('person_id', '=', 'p-renew').execute()).length, 10);
  });

  it('lets exactly one of many concurrent requests use the same code', async () => {
    const db = getStore().db;
    const [code] = await issueRecoveryCodes(db, 'p-race', now);
    const results = await Promise.all(Array.from({ length: 20 }, () => useRecoveryCode(db, 'p-race', code!, later)));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await countUnusedRecoveryCodes(db, 'p-race'), 9);
  });

  it('issues inside a caller’s transaction, and rolls back with it', async () => {
    const db = getStore().db;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await issueRecoveryCodes(trx, 'p-trx', now);
        assert.equal(await countUnusedRecoveryCodes(trx, 'p-trx'), 10);
        throw new Error('enrolment failed');
      }),
      /enrolment failed/,
    );
    assert.equal(await countUnusedRecoveryCodes(db, 'p-trx'), 0);
  });
});
