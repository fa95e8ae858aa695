import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from '../store/store.ts';
import { describeEachStore } from '../store/test-stores.ts';
import * as policies from './throttle.policies.ts';
import { DAY_SECONDS } from './fan-out.repository.ts';
import {
  THROTTLE_KEEP_SECONDS,
  checkThrottle,
  clearThrottle,
  hitRateLimit,
  pruneThrottle,
  registerFailure,
  slowDownSeconds,
  ipv6Network64,
  throttleKey,
  type ThrottlePolicy,
} from './throttle.repository.ts';

const { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_CLIENT, MFA_PER_ACCOUNT } = policies;
const SECRET = 'test-secret-key-that-is-at-least-32-characters';
const t0 = new Date('2026-06-01T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe('throttleKey', () => {
  it('is scope:HMAC-SHA-256 hex, deterministic, and holds no personal data', () => {
    const key = throttleKey(SECRET, 'sign-in:account', 'jo.bloggs@example.org');
    assert.match(key, /^sign-in:account:[0-9a-f]{64}$/);
    assert.equal(throttleKey(SECRET, 'sign-in:account', 'jo.bloggs@example.org'), key);
    assert.ok(!key.includes('bloggs') && !key.includes('example'));
  });

  it('differs by secret, scope and value, and normalises case, spaces and IPv4-mapped addresses', () => {
    const key = throttleKey(SECRET, 'sign-in:account', 'jo@example.org');
    assert.notEqual(throttleKey(`${SECRET}x`, 'sign-in:account', 'jo@example.org'), key);
    assert.notEqual(throttleKey(SECRET, 'recovery:account', 'jo@example.org').split(':')[2], key.split(':')[2]);
    assert.notEqual(throttleKey(SECRET, 'sign-in:account', 'jo2@example.org'), key);
    assert.equal(throttleKey(SECRET, 'sign-in:account', '  Jo@Example.ORG '), key);
    assert.equal(throttleKey(SECRET, 'sign-in:client', '::ffff:203.0.113.9'), throttleKey(SECRET, 'sign-in:client', '203.0.113.9'));
    assert.equal(throttleKey(SECRET, 'sign-in:client', '2001:DB8::1'), throttleKey(SECRET, 'sign-in:client', '2001:db8::1'));
  });

  it('refuses a malformed scope', () => {
    for (const scope of ['', 'Sign-In', 'a b', 'x;drop']) assert.throws(() => throttleKey(SECRET, scope, 'v'), /Invalid throttle scope/);
  });
});

describe('slow-down schedule and policies', () => {
  it('is free, then 1, 2, 4, 8, 16 s for the sign-in account policy', () => {
    const delays = Array.from({ length: 10 }, (_, n) => slowDownSeconds(n, SIGN_IN_PER_ACCOUNT));
    assert.deepEqual(delays, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16]);
  });

  it('caps the delay at 60 s and always below lockSeconds', () => {
    assert.equal(slowDownSeconds(99, SIGN_IN_PER_CLIENT), 60);
    assert.equal(slowDownSeconds(50, { windowSeconds: 60, freeFailures: 0, lockAfter: 100, lockSeconds: 10 }), 9);
    assert.equal(slowDownSeconds(50, { ...SIGN_IN_PER_CLIENT, maxDelaySeconds: 5 }), 5);
  });

  it('has the documented defaults, each sensible against the others', () => {
    assert.deepEqual({ ...SIGN_IN_PER_ACCOUNT }, { windowSeconds: 900, freeFailures: 5, lockAfter: 10, lockSeconds: 1800 });
    assert.deepEqual({ ...SIGN_IN_PER_CLIENT }, { windowSeconds: 900, freeFailures: 20, lockAfter: 100, lockSeconds: 900 });
    assert.deepEqual({ ...MFA_PER_ACCOUNT }, { windowSeconds: 900, freeFailures: 3, lockAfter: 10, lockSeconds: 1800 });
    assert.deepEqual({ ...policies.RECOVERY_PER_ACCOUNT }, { limit: 5, windowSeconds: 3600 });
    assert.deepEqual({ ...policies.RECOVERY_PER_CLIENT }, { limit: 20, windowSeconds: 3600 });
    assert.deepEqual({ ...policies.PUBLIC_FORM_PER_CLIENT }, { limit: 30, windowSeconds: 600 });
    assert.deepEqual({ ...policies.WATCH_NEWS_FAN_OUT }, { scope: 'fan-out:watch-news', minIntervalSeconds: 300, perDay: 5 });
    assert.deepEqual({ ...policies.ACCESS_DENIALS, perActor: { ...policies.ACCESS_DENIALS.perActor } }, { windowSeconds: 900, repeatsBeforeThrottle: 10, perActor: { limit: 300, windowSeconds: 900 } });
    assert.ok(policies.ACCESS_DENIALS.perActor.windowSeconds <= THROTTLE_KEEP_SECONDS);
    for (const [name, value] of Object.entries(policies)) {
      if (name === 'THROTTLE_SCOPES') continue;
      // A fan-out policy's day is exactly what pruning keeps (pruneThrottle also looks at the last send).
      if ('minIntervalSeconds' in value) {
        assert.ok(value.minIntervalSeconds > 0 && value.minIntervalSeconds * value.perDay < DAY_SECONDS && value.perDay >= 1, name);
        assert.ok((Object.values(policies.THROTTLE_SCOPES) as string[]).includes(value.scope), `${name} has a scope of its own`);
        continue;
      }
      const p = value as Partial<ThrottlePolicy> & { windowSeconds: number };
      assert.ok(p.windowSeconds <= THROTTLE_KEEP_SECONDS, `${name} outlives pruning`);
      if (p.lockAfter !== undefined) assert.ok(p.lockAfter > p.freeFailures! && p.lockAfter <= 100, name);
    }
    assert.equal(new Set(Object.values(policies.THROTTLE_SCOPES)).size, Object.keys(policies.THROTTLE_SCOPES).length);
    for (const scope of Object.values(policies.THROTTLE_SCOPES)) throttleKey(SECRET, scope, 'x');
  });
});

describeEachStore('throttle', (getStore) => {
  it('slows down after the free failures, locks at lockAfter, and opens again when the lock ends', async () => {
    const db = getStore().db;
    const key = throttleKey(SECRET, 'sign-in:account', 'slow@example.org');
    for (let n = 1; n <= 4; n++) {
      assert.deepEqual(await registerFailure(db, key, SIGN_IN_PER_ACCOUNT, at(0)), { allowed: true, locked: false, retryAfterSeconds: 0, failures: n, justLocked: false });
    }
    // Failures 5 … 9 each demand a wait twice as long as the last.
    let clock = 0;
    for (const [n, wait] of [[5, 1], [6, 2], [7, 4], [8, 8], [9, 16]] as const) {
      const state = await registerFailure(db, key, SIGN_IN_PER_ACCOUNT, at(clock));
      assert.deepEqual(state, { allowed: false, locked: false, retryAfterSeconds: wait, failures: n, justLocked: false }, `failure ${n}`);
      assert.equal((await checkThrottle(db, key, SIGN_IN_PER_ACCOUNT, at(clock + wait - 0.5))).allowed, false);
      assert.deepEqual(await checkThrottle(db, key, SIGN_IN_PER_ACCOUNT, at(clock + wait)), { allowed: true, locked: false, retryAfterSeconds: 0, failures: n });
      clock += wait;
    }
    const locked = await registerFailure(db, key, SIGN_IN_PER_ACCOUNT, at(clock));
    assert.deepEqual(locked, { allowed: false, locked: true, retryAfterSeconds: 1800, failures: 10, justLocked: true });
    // More failures while locked are counted but neither extend the lock nor announce it again.
    const again = await registerFailure(db, key, SIGN_IN_PER_ACCOUNT, at(clock + 60));
    assert.deepEqual(again, { allowed: false, locked: true, retryAfterSeconds: 1740, failures: 11, justLocked: false });
    assert.deepEqual(await checkThrottle(db, key, SIGN_IN_PER_ACCOUNT, at(clock + 1799)), { allowed: false, locked: true, retryAfterSeconds: 1, failures: 11 });
    assert.deepEqual(await checkThrottle(db, key, SIGN_IN_PER_ACCOUNT, at(clock + 1800)), { allowed: true, locked: false, retryAfterSeconds: 0, failures: 0 });
    assert.deepEqual(await registerFailure(db, key, SIGN_IN_PER_ACCOUNT, at(clock + 1800)), { allowed: true, locked: false, retryAfterSeconds: 0, failures: 1, justLocked: false });
  });

  it('forgets failures once the window since the first has passed', async () => {
    const db = getStore().db;
    const key = throttleKey(SECRET, 'sign-in:account', 'window@example.org');
    for (let i = 0; i < 4; i++) await registerFailure(db, key, SIGN_IN_PER_ACCOUNT, at(i * 60));
    assert.equal((await registerFailure(db, key, SIGN_IN_PER_ACCOUNT, at(899))).failures, 5);
    assert.equal((await checkThrottle(db, key, SIGN_IN_PER_ACCOUNT, at(899.5))).allowed, false);
    assert.deepEqual(await checkThrottle(db, key, SIGN_IN_PER_ACCOUNT, at(900)), { allowed: true, locked: false, retryAfterSeconds: 0, failures: 0 });
    assert.equal((await registerFailure(db, key, SIGN_IN_PER_ACCOUNT, at(900))).failures, 1);
  });

  it('sets justLocked exactly once per lock, even with lockAfter 1', async () => {
    const db = getStore().db;
    const key = throttleKey(SECRET, 'mfa:account', 'once@example.org');
    const flags = [];
    for (let i = 0; i < 15; i++) flags.push((await registerFailure(db, key, MFA_PER_ACCOUNT, at(i))).justLocked);
    assert.deepEqual(flags.map((f, i) => (f ? i + 1 : 0)).filter(Boolean), [10]);
    const strict: ThrottlePolicy = { windowSeconds: 60, freeFailures: 0, lockAfter: 1, lockSeconds: 120 };
    const key1 = throttleKey(SECRET, 'mfa:account', 'strict@example.org');
    assert.deepEqual(await registerFailure(db, key1, strict, at(0)), { allowed: false, locked: true, retryAfterSeconds: 120, failures: 1, justLocked: true });
    assert.equal((await registerFailure(db, key1, strict, at(1))).justLocked, false);
    assert.equal((await registerFailure(db, key1, strict, at(120))).justLocked, true);
  });

  it('clears one key without touching others', async () => {
    const db = getStore().db;
    const [a, b] = ['a@example.org', 'b@example.org'].map((v) => throttleKey(SECRET, 'sign-in:account', v));
    for (let i = 0; i < 10; i++) {
      await registerFailure(db, a!, SIGN_IN_PER_ACCOUNT, at(0));
      await registerFailure(db, b!, SIGN_IN_PER_ACCOUNT, at(0));
    }
    await clearThrottle(db, a!);
    assert.deepEqual(await checkThrottle(db, a!, SIGN_IN_PER_ACCOUNT, at(1)), { allowed: true, locked: false, retryAfterSeconds: 0, failures: 0 });
    assert.equal((await checkThrottle(db, b!, SIGN_IN_PER_ACCOUNT, at(1))).locked, true);
    assert.equal((await checkThrottle(db, throttleKey(SECRET, 'sign-in:account', 'c@example.org'), SIGN_IN_PER_ACCOUNT, at(1))).failures, 0);
  });

  it('rate-limits in fixed windows, counting refused requests too', async () => {
    const db = getStore().db;
    const key = throttleKey(SECRET, 'recovery:account', 'rate@example.org');
    const limit = { limit: 3, windowSeconds: 60 };
    const results = [];
    for (let s = 0; s < 5; s++) results.push(await hitRateLimit(db, key, limit, at(s * 10)));
    assert.deepEqual(results, [
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: false, retryAfterSeconds: 30 },
      { allowed: false, retryAfterSeconds: 20 },
    ]);
    assert.deepEqual(await hitRateLimit(db, key, limit, at(60)), { allowed: true, retryAfterSeconds: 0 });
    assert.equal((await hitRateLimit(db, throttleKey(SECRET, 'recovery:account', 'other@example.org'), limit, at(45))).allowed, true);
  });

  it('prunes rows whose window is long past, but never a running lock', async () => {
    const db = getStore().db;
    const day = THROTTLE_KEEP_SECONDS;
    const stale = throttleKey(SECRET, 'prune:test', 'stale');
    const fresh = throttleKey(SECRET, 'prune:test', 'fresh');
    const lockedLong: ThrottlePolicy = { windowSeconds: 60, freeFailures: 0, lockAfter: 1, lockSeconds: 2 * day };
    const locked = throttleKey(SECRET, 'prune:test', 'locked');
    await registerFailure(db, stale, SIGN_IN_PER_ACCOUNT, at(0));
    await registerFailure(db, locked, lockedLong, at(0));
    await registerFailure(db, fresh, SIGN_IN_PER_ACCOUNT, at(day));
    assert.ok((await pruneThrottle(db, at(day + 1))) >= 1);
    const left = await db.selectFrom('throttle').select('key').where('key', 'like', 'prune:test:%').execute();
    assert.deepEqual(left.map((r) => r.key).sort(), [fresh, locked].sort());
    await pruneThrottle(db, at(2 * day + 1));
    assert.deepEqual((await db.selectFrom('throttle').select('key').where('key', 'like', 'prune:test:%').execute()).map((r) => r.key), []);
  });

  it('counts every one of many concurrent failures and announces the lock once', async () => {
    const db = getStore().db;
    const key = throttleKey(SECRET, 'sign-in:client', 'race');
    const policy: ThrottlePolicy = { windowSeconds: 900, freeFailures: 5, lockAfter: 37, lockSeconds: 900 };
    const states = await Promise.all(Array.from({ length: 60 }, () => registerFailure(db, key, policy, at(0))));
    assert.deepEqual(states.map((s) => s.failures).sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i + 1));
    assert.equal(states.filter((s) => s.justLocked).length, 1);
    const hits = await Promise.all(Array.from({ length: 50 }, () => hitRateLimit(db, throttleKey(SECRET, 'public-form:client', 'race'), { limit: 20, windowSeconds: 600 }, at(0))));
    assert.equal(hits.filter((h) => h.allowed).length, 20);
  });
});

const url = process.env.TEST_DATABASE_URL;
describe('throttle across two app servers sharing PostgreSQL', { skip: url ? false : 'TEST_DATABASE_URL not set' }, () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let first: Store | undefined;
  let second: Store | undefined;
  before(async () => {
    // Two stores, two connection pools, one schema: as two servers behind a load balancer.
    first = await openStore(url!, { schema });
    second = await openStore(url!, { schema });
  });
  after(async () => {
    await first?.close();
    await second?.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('counts exactly 100 of 50 + 50 simultaneous failures and locks once', async () => {
    const key = throttleKey(SECRET, 'sign-in:client', '198.51.100.7');
    const policy: ThrottlePolicy = { windowSeconds: 900, freeFailures: 20, lockAfter: 64, lockSeconds: 900 };
    const fire = (store: Store) => Array.from({ length: 50 }, () => registerFailure(store.db, key, policy, at(0)));
    const states = await Promise.all([...fire(first!), ...fire(second!)]);
    assert.deepEqual(states.map((s) => s.failures).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(states.filter((s) => s.justLocked).length, 1);
    assert.deepEqual(await checkThrottle(second!.db, key, policy, at(1)), { allowed: false, locked: true, retryAfterSeconds: 899, failures: 100 });
  });

  it('lets exactly `limit` of 50 + 50 simultaneous requests through', async () => {
    const key = throttleKey(SECRET, 'sign-up:client', '198.51.100.8');
    const fire = (store: Store) => Array.from({ length: 50 }, () => hitRateLimit(store.db, key, { limit: 37, windowSeconds: 3600 }, at(0)));
    const results = await Promise.all([...fire(first!), ...fire(second!)]);
    assert.equal(results.filter((r) => r.allowed).length, 37);
  });
});

describe('client keys for IPv6', () => {
  it('counts a whole /64 as one client, and different /64s apart', () => {
    assert.equal(ipv6Network64('2001:db8:aa:bb:1:2:3:4'), '2001:db8:aa:bb::/64');
    assert.equal(ipv6Network64('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(ipv6Network64('::1'), '0:0:0:0::/64');
    const key = (address: string) => throttleKey('k'.repeat(32), 'sign-in:client', address);
    assert.equal(key('2001:db8:aa:bb::1'), key('2001:db8:aa:bb:ffff:ffff:ffff:fffe'));
    assert.notEqual(key('2001:db8:aa:bb::1'), key('2001:db8:aa:bc::1'));
    assert.notEqual(key('203.0.113.1'), key('203.0.113.2'), 'IPv4 addresses stay separate');
  });
});
