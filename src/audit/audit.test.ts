import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { GENESIS_HASH, auditHash } from './audit-hash.ts';
import { appendAudit, listAudit } from './audit.repository.ts';
import { AuditValidationError } from './audit.schema.ts';
import { verifyAuditChain } from './audit-verify.ts';

const at = (iso: string) => () => new Date(iso);

describeEachStore('audit log', (getStore) => {
  it('starts the chain from 64 zeros and links each entry to the one before', async () => {
    const first = await appendAudit(getStore(), { action: 'auth.sign_in', actorId: 'p1', actorOrg: 'hampshire', clientAddress: '203.0.113.9' }, { now: at('2026-01-01T10:00:00Z') });
    const second = await appendAudit(getStore(), { action: 'record.view', actorId: 'p2', subjectType: 'person', subjectId: 'x9', reason: 'safeguarding check', details: { fields: ['name'] } }, { now: at('2026-01-02T10:00:00Z') });
    await appendAudit(getStore(), { action: 'auth.sign_in_failed', clientAddress: '::ffff:10.0.0.1' }, { now: at('2026-01-03T10:00:00Z') });
    assert.equal(first.sequence, 1);
    assert.equal(first.prev_hash, GENESIS_HASH);
    assert.equal(second.prev_hash, first.hash);
    assert.equal(second.details, '{"fields":["name"]}');
    const { hash, ...rest } = second;
    assert.equal(auditHash(rest), hash);
    assert.deepEqual(await verifyAuditChain(getStore()), { ok: true, entries: 3, head: { sequence: 3, hash: (await listAudit(getStore(), { limit: 1 }))[0]?.hash } });
  });

  it('filters by actor, subject and time, newest first', async () => {
    assert.deepEqual((await listAudit(getStore(), { actorId: 'p1' })).map((r) => r.sequence), [1]);
    assert.deepEqual((await listAudit(getStore(), { subjectType: 'person', subjectId: 'x9' })).map((r) => r.sequence), [2]);
    assert.deepEqual((await listAudit(getStore(), { since: '2026-01-02T00:00:00.000Z' })).map((r) => r.sequence), [3, 2]);
    assert.deepEqual((await listAudit(getStore(), { until: '2026-01-02T10:00:00.000Z' })).map((r) => r.sequence), [1]);
    assert.deepEqual((await listAudit(getStore(), { limit: 2 })).map((r) => r.sequence), [3, 2]);
    assert.deepEqual((await listAudit(getStore(), { beforeSequence: 3, limit: 1 })).map((r) => r.sequence), [2]);
  });

  it('refuses UPDATE, DELETE (and TRUNCATE on PostgreSQL) through the triggers', async () => {
    const store = getStore();
    await assert.rejects(store.db.updateTable('audit_log').set({ reason: 'rewritten' }).where('sequence', '=', 1).execute(), /append-only/);
    await assert.rejects(store.db.deleteFrom('audit_log').where('sequence', '=', 2).execute(), /append-only/);
    if (store.kind === 'postgres') await assert.rejects(store.pool.query('TRUNCATE audit_log'), /append-only/);
    assert.equal((await verifyAuditChain(store)).ok, true);
  });

  it('rejects invalid entries without writing anything', async () => {
    const store = getStore();
    const bad: unknown[] = [
      { action: 'auth.sign_in_maybe' },
      { action: 'record.view', subjectType: 'person' },
      { action: 'record.view', actorId: 'a\u001b[31m' },
      { action: 'record.view', reason: 'x'.repeat(2001) },
      { action: 'record.view', details: { blob: 'x'.repeat(5000) } },
      { action: 'record.view', clientAddress: '1.2.3.4 evil' },
      { action: 'record.view', extra: 1 },
    ];
    for (const entry of bad) {
      await assert.rejects(appendAudit(store, entry as Parameters<typeof appendAudit>[1]), AuditValidationError);
    }
    assert.equal((await verifyAuditChain(store)).ok && (await verifyAuditChain(store, { pageSize: 2 })).ok, true);
    assert.equal((await listAudit(store)).length, 3);
  });

  it('keeps one unbroken chain under 50 concurrent appends', async () => {
    const store = getStore();
    const rows = await Promise.all(
      Array.from({ length: 50 }, (_, i) => appendAudit(store, { action: 'record.view', actorId: `c${i}`, subjectType: 'report', subjectId: String(i) })),
    );
    const sequences = rows.map((r) => r.sequence).sort((a, b) => a - b);
    assert.deepEqual(sequences, Array.from({ length: 50 }, (_, i) => i + 4));
    const result = await verifyAuditChain(store, { pageSize: 7 });
    assert.equal(result.ok, true);
    assert.equal(result.entries, 53);
  });

  it('checks a recorded head and notices when it is gone', async () => {
    const store = getStore();
    const [newest] = await listAudit(store, { limit: 1 });
    assert.ok(newest);
    assert.equal((await verifyAuditChain(store, { expectHead: { sequence: newest.sequence, hash: newest.hash } })).ok, true);
    const result = await verifyAuditChain(store, { expectHead: { sequence: newest.sequence + 5, hash: newest.hash } });
    assert.equal(result.ok, false);
  });
});
