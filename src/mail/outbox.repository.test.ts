/**
 * The outbox on both stores: transactional enqueue, exclusive claims (two store
 * handles standing in for two app servers), the backoff schedule, the dead letter
 * state, requeueing and the administrator's list.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachStore } from '../store/test-stores.ts';
import { openStore, type Store } from '../store/store.ts';
import {
  BACKOFF_MINUTES,
  claimDueMail,
  enqueueMail,
  findOutboxMessage,
  listOutbox,
  markFailed,
  markSent,
  MAX_ATTEMPTS,
  requeueMessage,
  type NewOutboxMessage,
} from './outbox.repository.ts';

const t0 = new Date('2026-05-01T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const message = (to: string, subject = 'Hello'): NewOutboxMessage => ({ to, subject, text: `text for ${to}`, html: `<p>html for ${to}</p>`, template: 'notice' });

/** Empties the outbox so each test starts from nothing (the suite shares one store). */
async function clear(store: Store): Promise<void> {
  await store.db.deleteFrom('outbox').execute();
}

/** A second handle on the same database: another app server, as far as the outbox can tell. */
async function secondHandle(store: Store): Promise<{ first: Store; second: Store; dispose(): Promise<void> }> {
  if (store.kind === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
    const second = await openStore(store.url, { schema: rows[0]!.schema, migrate: false });
    return { first: store, second, dispose: () => second.close() };
  }
  // An in-memory SQLite database has one connection; two servers share a file.
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  const first = await openStore(`sqlite:${join(dir, 'shared.db')}`);
  const second = await openStore(`sqlite:${join(dir, 'shared.db')}`, { migrate: false });
  return {
    first,
    second,
    async dispose() {
      await first.close();
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeEachStore('email outbox', (getStore) => {
  it('keeps a message queued in a transaction only if the transaction commits', async () => {
    const { db } = getStore();
    await clear(getStore());
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await enqueueMail(trx, message('rolled-back@example.test'), t0);
        throw new Error('the feature’s change failed');
      }),
      /change failed/,
    );
    await db.transaction().execute(async (trx) => {
      await enqueueMail(trx, message('committed@example.test'), t0);
    });
    const rows = await db.selectFrom('outbox').select(['to_address', 'status', 'attempts', 'next_attempt_at']).execute();
    assert.deepEqual(rows, [{ to_address: 'committed@example.test', status: 'queued', attempts: 0, next_attempt_at: t0.toISOString() }]);
  });

  it('claims due messages oldest first, counts the attempt and holds them until the claim runs out', async () => {
    const { db } = getStore();
    await clear(getStore());
    const later = await enqueueMail(db, message('later@example.test'), at(2));
    const first = await enqueueMail(db, message('first@example.test'), t0);
    const second = await enqueueMail(db, message('second@example.test'), at(1));

    assert.deepEqual(await claimDueMail(db, at(0.5), 10, 600).then((r) => r.map((m) => m.id)), [first.id]);
    const claimed = await claimDueMail(db, at(1), 10, 600);
    assert.deepEqual(claimed.map((m) => m.id), [second.id]);
    assert.equal(claimed[0]!.status, 'sending');
    assert.equal(claimed[0]!.attempts, 1);
    assert.equal(claimed[0]!.claimed_until, at(11).toISOString());
    assert.equal(claimed[0]!.text_body, 'text for second@example.test');

    await enqueueMail(db, message('another@example.test'), at(2));
    // The limit is honoured, oldest due first; claimed messages are not claimed again while held.
    assert.deepEqual(await claimDueMail(db, at(2), 1, 600).then((r) => r.map((m) => m.id)), [later.id]);
    assert.equal((await claimDueMail(db, at(10.4), 10, 600)).length, 1);
    assert.deepEqual(await claimDueMail(db, at(10.4), 10, 600), []);
    // A sender that crashed: its claim runs out and the message is due again, a second attempt.
    const reclaimed = await claimDueMail(db, at(10.5), 10, 600);
    assert.deepEqual(reclaimed.map((m) => [m.id, m.attempts]), [[first.id, 2]]);
  });

  it('never gives one message to two servers claiming at the same time', async () => {
    const handles = await secondHandle(getStore());
    try {
      await handles.first.db.deleteFrom('outbox').execute();
      const total = 60;
      for (let i = 0; i < total; i += 1) await enqueueMail(handles.first.db, message(`m${i}@example.test`), t0);
      // Eight claimers per server, each taking up to five at a time until nothing is left.
      const claimer = async (store: Store) => {
        const mine: number[] = [];
        for (;;) {
          const batch = await claimDueMail(store.db, at(1), 5, 300);
          if (batch.length === 0) return mine;
          mine.push(...batch.map((m) => m.id));
        }
      };
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => claimer(i % 2 === 0 ? handles.first : handles.second)));
      const all = results.flat();
      assert.equal(new Set(all).size, all.length, 'a message was claimed twice');
      assert.equal(all.length, total);
      const attempts = await handles.second.db.selectFrom('outbox').select('attempts').distinct().execute();
      assert.deepEqual(attempts, [{ attempts: 1 }]);
    } finally {
      await handles.dispose();
    }
  });

  it('retries after 1, 5, 15, 60, 180 and 360 minutes, then gives up', async () => {
    const { db } = getStore();
    await clear(getStore());
    const { id } = await enqueueMail(db, message('bounce@example.test'), t0);
    let now = t0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const wait = BACKOFF_MINUTES[attempt - 2];
      if (wait !== undefined) {
        // Not a moment before the backoff has passed.
        assert.deepEqual(await claimDueMail(db, new Date(now.getTime() + wait * 60_000 - 1), 10, 60), [], `attempt ${attempt} too early`);
        now = new Date(now.getTime() + wait * 60_000);
      }
      const [claimed] = await claimDueMail(db, now, 10, 60);
      assert.equal(claimed?.id, id, `attempt ${attempt}`);
      assert.equal(claimed.attempts, attempt);
      const status = await markFailed(db, id, `550 refused (attempt ${attempt})`, now);
      assert.equal(status, attempt < MAX_ATTEMPTS ? 'queued' : 'dead');
    }
    const row = await findOutboxMessage(db, id);
    assert.equal(row?.status, 'dead');
    assert.equal(row.attempts, MAX_ATTEMPTS);
    assert.equal(row.last_error, `550 refused (attempt ${MAX_ATTEMPTS})`);
    assert.equal(row.claimed_until, null);
    assert.deepEqual(await claimDueMail(db, at(60 * 24 * 365), 10, 60), []);
    assert.deepEqual(BACKOFF_MINUTES, [1, 5, 15, 60, 180, 360]);
    assert.equal(MAX_ATTEMPTS, 7);
  });

  it('records a failure only for a message being sent, and never over a success', async () => {
    const { db } = getStore();
    await clear(getStore());
    const { id } = await enqueueMail(db, message('late@example.test'), t0);
    assert.equal(await markFailed(db, id, 'not claimed', t0), null);
    await claimDueMail(db, t0, 10, 60);
    await markSent(db, id, at(0.5));
    assert.equal(await markFailed(db, id, 'timed out, but it had gone', at(1)), null);
    const row = await findOutboxMessage(db, id);
    assert.deepEqual([row?.status, row?.sent_at, row?.last_error, row?.claimed_until], ['sent', at(0.5).toISOString(), null, null]);
    assert.deepEqual(await claimDueMail(db, at(100), 10, 60), []);
  });

  it('gives up on a message whose claim runs out on its last attempt', async () => {
    const { db } = getStore();
    await clear(getStore());
    const { id } = await enqueueMail(db, message('crash@example.test'), t0);
    await db.updateTable('outbox').set({ attempts: MAX_ATTEMPTS - 1 }).where('id', '=', id).execute();
    assert.equal((await claimDueMail(db, t0, 10, 60))[0]?.attempts, MAX_ATTEMPTS);
    assert.deepEqual(await claimDueMail(db, at(2), 10, 60), []);
    const row = await findOutboxMessage(db, id);
    assert.equal(row?.status, 'dead');
    assert.match(row.last_error ?? '', /claim expired/);
  });

  it('requeues a dead message with fresh attempts, and nothing else', async () => {
    const { db } = getStore();
    await clear(getStore());
    const dead = await enqueueMail(db, message('dead@example.test'), t0);
    const queued = await enqueueMail(db, message('queued@example.test'), t0);
    await db.updateTable('outbox').set({ status: 'dead', attempts: MAX_ATTEMPTS, last_error: 'refused' }).where('id', '=', dead.id).execute();
    assert.equal(await requeueMessage(db, queued.id, at(5)), false);
    assert.equal(await requeueMessage(db, 999_999, at(5)), false);
    assert.equal(await requeueMessage(db, dead.id, at(5)), true);
    assert.equal(await requeueMessage(db, dead.id, at(5)), false);
    const row = await findOutboxMessage(db, dead.id);
    assert.deepEqual([row?.status, row?.attempts, row?.next_attempt_at, row?.last_error], ['queued', 0, at(5).toISOString(), 'refused']);
    const claimed = await claimDueMail(db, at(5), 10, 60);
    assert.deepEqual(claimed.map((m) => [m.id, m.attempts]), [[queued.id, 1], [dead.id, 1]]);
  });

  it('lists newest first without bodies, by status and by part of the address, a page at a time', async () => {
    const { db } = getStore();
    await clear(getStore());
    const ids: number[] = [];
    for (const to of ['Ann@Example.test', 'bob@example.test', 'carol@other.test', 'dan_x@other.test', 'danax@other.test']) {
      ids.push((await enqueueMail(db, message(to), t0)).id);
    }
    await claimDueMail(db, t0, 1, 60); // Ann's is now sending
    const all = await listOutbox(db, { limit: 10 });
    assert.deepEqual(all.map((m) => m.id), [...ids].reverse());
    assert.ok(!('text_body' in all[0]!) && !('html_body' in all[0]!));
    assert.deepEqual((await listOutbox(db, { limit: 10, status: 'sending' })).map((m) => m.to_address), ['Ann@Example.test']);
    assert.deepEqual((await listOutbox(db, { limit: 10, to: 'EXAMPLE.TEST' })).map((m) => m.to_address), ['bob@example.test', 'Ann@Example.test']);
    // LIKE wildcards typed in the filter are literal characters.
    assert.deepEqual((await listOutbox(db, { limit: 10, to: 'dan_' })).map((m) => m.to_address), ['dan_x@other.test']);
    assert.deepEqual(await listOutbox(db, { limit: 10, to: '%' }), []);
    const page1 = await listOutbox(db, { limit: 2 });
    const page2 = await listOutbox(db, { limit: 2, before: page1[1]!.id });
    assert.deepEqual([...page1, ...page2].map((m) => m.id), [ids[4], ids[3], ids[2], ids[1]]);
    assert.equal(await findOutboxMessage(db, 999_999), undefined);
  });
});
