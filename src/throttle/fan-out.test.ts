import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { claimFanOut, DAY_SECONDS, FanOutLimited, type FanOutPolicy } from './fan-out.repository.ts';
import { pruneThrottle } from './throttle.repository.ts';

const SECRET = 'a-test-secret-key-of-at-least-32-characters';
const POLICY: FanOutPolicy = { scope: 'fan-out:test', minIntervalSeconds: 300, perDay: 3 };
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describeEachStore('fan-out guard', (getStore) => {
  let store: Store;
  before(() => {
    store = getStore();
  });
  const claim = (sender: string, seconds: number, policy = POLICY) => claimFanOut(store.db, SECRET, policy, sender, at(seconds));
  const refusal = async (sender: string, seconds: number, policy = POLICY): Promise<FanOutLimited> => {
    try {
      await claim(sender, seconds, policy);
    } catch (error) {
      if (error instanceof FanOutLimited) return error;
      throw error;
    }
    throw new Error(`${sender} at ${seconds}s was allowed`);
  };

  it('keeps a minimum interval per sender, saying when the next send may go; refused tries do not count', async () => {
    await claim('interval', 0);
    const early = await refusal('interval', 60);
    assert.equal(early.reason, 'interval');
    assert.equal(early.retryAfterSeconds, 240);
    assert.equal(early.nextAt.toISOString(), at(300).toISOString());
    assert.equal(early.status, 429);
    assert.equal(early.code, 'SC_ERR_FAN_OUT_LIMITED');
    await refusal('interval', 299);
    await claim('interval', 300);
    await claim('someone else', 301);
    await claim('interval', 301, { ...POLICY, scope: 'fan-out:other' });
  });

  it('caps sends a day from the first, then starts a new day', async () => {
    await claim('daily', 0);
    await claim('daily', 300);
    await claim('daily', 600);
    const capped = await refusal('daily', 3600);
    assert.equal(capped.reason, 'daily');
    assert.equal(capped.nextAt.toISOString(), at(DAY_SECONDS).toISOString());
    await refusal('daily', DAY_SECONDS - 1);
    await claim('daily', DAY_SECONDS);
    await claim('daily', DAY_SECONDS + 300);
  });

  it('keeps the interval even when housekeeping runs just after a day ends', async () => {
    const policy = { ...POLICY, perDay: 1000 };
    await claim('pruned', 0, policy);
    await claim('pruned', DAY_SECONDS - 10, policy);
    await pruneThrottle(store.db, at(DAY_SECONDS + 5));
    await refusal('pruned', DAY_SECONDS + 10, policy);
  });

  it('gives the claim back when the sending transaction fails, and takes nothing when refused inside one', async () => {
    await assert.rejects(
      store.db.transaction().execute(async (tx) => {
        await claimFanOut(tx, SECRET, POLICY, 'rolled-back', at(0));
        throw new Error('queueing failed');
      }),
      /queueing failed/,
    );
    await claim('rolled-back', 1);
    await assert.rejects(store.db.transaction().execute((tx) => claimFanOut(tx, SECRET, POLICY, 'rolled-back', at(2))), FanOutLimited);
    await claim('rolled-back', 301);
  });

  it('lets exactly one of several simultaneous sends through', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => store.db.transaction().execute((tx) => claimFanOut(tx, SECRET, POLICY, 'racing', at(0)))),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(results.every((r) => r.status === 'fulfilled' || r.reason instanceof FanOutLimited));
  });
});
