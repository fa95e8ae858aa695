import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createAuditTriggers } from '../store/migrations/004-audit.ts';
import type { Store } from '../store/store.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { appendAudit } from './audit.repository.ts';
import { verifyAuditChain, type AuditVerifyResult } from './audit-verify.ts';

/** What an attacker with database access does first: drop the triggers, tamper, put them back. */
async function tamper(store: Store, change: (db: Store['db']) => Promise<unknown>): Promise<void> {
  for (const name of ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_no_truncate']) {
    if (store.kind === 'sqlite') await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)}`.execute(store.db);
    else await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)} ON audit_log`.execute(store.db);
  }
  await change(store.db);
  await createAuditTriggers(store.db as unknown as Kysely<unknown>, store.kind);
}

/** Empties the log and writes five fresh entries. */
async function freshChain(store: Store): Promise<void> {
  await tamper(store, (db) => db.deleteFrom('audit_log').execute());
  for (let i = 1; i <= 5; i++) {
    await appendAudit(store, { action: 'record.view', actorId: `p${i}`, subjectType: 'report', subjectId: `r${i}` });
  }
  assert.equal((await verifyAuditChain(store)).ok, true);
}

function problemSequences(result: AuditVerifyResult): number[] {
  assert.equal(result.ok, false);
  return result.ok ? [] : [...new Set(result.problems.map((p) => p.sequence))];
}

describeEachStore('audit chain tampering', (getStore) => {
  it('detects an altered field at its sequence', async () => {
    const store = getStore();
    await freshChain(store);
    await tamper(store, (db) => db.updateTable('audit_log').set({ actor_id: 'someone-else' }).where('sequence', '=', 3).execute());
    const result = await verifyAuditChain(store, { pageSize: 2 });
    assert.deepEqual(problemSequences(result), [3]);
    assert.match(result.ok ? '' : (result.problems[0]?.problem ?? ''), /hash mismatch/);
  });

  it('detects a deleted middle entry at the next sequence', async () => {
    const store = getStore();
    await freshChain(store);
    await tamper(store, (db) => db.deleteFrom('audit_log').where('sequence', '=', 3).execute());
    const result = await verifyAuditChain(store);
    assert.deepEqual(problemSequences(result), [4]);
    assert.ok(!result.ok && result.problems.some((p) => /gap/.test(p.problem)));
  });

  it('detects two entries whose sequence numbers were swapped', async () => {
    const store = getStore();
    await freshChain(store);
    await tamper(store, async (db) => {
      await db.updateTable('audit_log').set({ sequence: 1000 }).where('sequence', '=', 2).execute();
      await db.updateTable('audit_log').set({ sequence: 2 }).where('sequence', '=', 3).execute();
      await db.updateTable('audit_log').set({ sequence: 3 }).where('sequence', '=', 1000).execute();
    });
    assert.deepEqual(problemSequences(await verifyAuditChain(store)), [2, 3, 4]);
  });

  it('detects a forged entry appended with a wrong previous hash', async () => {
    const store = getStore();
    await freshChain(store);
    await store.db
      .insertInto('audit_log')
      .values({
        sequence: 6, occurred_at: new Date().toISOString(), actor_id: 'forger', actor_org: null, action: 'record.delete',
        subject_type: null, subject_id: null, reason: null, client_address: null, details: null,
        prev_hash: 'f'.repeat(64), hash: 'e'.repeat(64),
      })
      .execute();
    const result = await verifyAuditChain(store);
    assert.deepEqual(problemSequences(result), [6]);
    assert.ok(!result.ok && result.problems.some((p) => /link broken/.test(p.problem)));
  });
});
