import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { appendAudit, appendAuditWithin, listAudit } from './audit.repository.ts';
import { verifyAuditChain } from './audit-verify.ts';

describeEachStore('audit entries inside the caller’s transaction', (getStore) => {
  it('commits the entry with the change, and keeps the chain whole alongside ordinary appends', async () => {
    const store = getStore();
    await appendAudit(store, { action: 'auth.sign_in', actorId: 'p1' });
    await store.db.transaction().execute(async (tx) => {
      await tx.insertInto('meta').values({ key: 'within-test', value: '1' }).execute();
      await appendAuditWithin(tx, store.kind, { action: 'record.update', actorId: 'p1', subjectType: 'meta', subjectId: 'within-test' });
    });
    await appendAudit(store, { action: 'auth.sign_out', actorId: 'p1' });
    assert.deepEqual((await listAudit(store)).map((r) => r.action), ['auth.sign_out', 'record.update', 'auth.sign_in']);
    assert.equal((await verifyAuditChain(store)).ok, true);
  });

  it('leaves neither the change nor the entry when the transaction fails', async () => {
    const store = getStore();
    const before = (await listAudit(store)).length;
    await assert.rejects(
      store.db.transaction().execute(async (tx) => {
        await tx.insertInto('meta').values({ key: 'rolled-back', value: '1' }).execute();
        await appendAuditWithin(tx, store.kind, { action: 'record.delete', actorId: 'p1', subjectType: 'meta', subjectId: 'rolled-back' });
        throw new Error('half way');
      }),
      /half way/,
    );
    assert.equal((await listAudit(store)).length, before);
    assert.equal(await store.db.selectFrom('meta').select('key').where('key', '=', 'rolled-back').executeTakeFirst(), undefined);
    assert.equal((await verifyAuditChain(store)).ok, true);
  });

  it('keeps one unbroken chain when transactional and ordinary appends race', async () => {
    const store = getStore();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? appendAudit(store, { action: 'record.view', actorId: `racer${i}` })
          : store.db.transaction().execute((tx) => appendAuditWithin(tx, store.kind, { action: 'record.view', actorId: `racer${i}` })),
      ),
    );
    const result = await verifyAuditChain(store);
    assert.equal(result.ok, true);
  });
});
