import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer } from './pacer.ts';
import { FakeClock } from './test-clock.ts';

describe('Pacer', () => {
  it('spaces sequential starts at 1/rate', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(10, clock);
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.wait();
      starts.push(clock.now());
    }
    assert.deepEqual(starts, [0, 100, 200, 300, 400]);
  });

  it('does not wait when the caller is already slower than the rate', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(10, clock);
    await pacer.wait();
    clock.time += 250;
    await pacer.wait();
    assert.deepEqual(clock.sleeps, []);
  });

  it('does not bank idle time into a burst', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(4, clock);
    await pacer.wait();
    clock.time += 10_000;
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await pacer.wait();
      starts.push(clock.now());
    }
    assert.deepEqual(starts, [10_000, 10_250, 10_500]);
  });

  it('gives concurrent callers successive slots in call order', async () => {
    // A clock whose sleeps resolve in real order but whose time only moves when told, like many requests waiting at once.
    let time = 0;
    const woke: number[] = [];
    const pacer = new Pacer(5, { now: () => time, sleep: async (ms) => void woke.push(ms) });
    await Promise.all([pacer.wait(), pacer.wait(), pacer.wait(), pacer.wait()]);
    assert.deepEqual(woke, [200, 400, 600]);
    time = 1000;
    await pacer.wait();
    assert.deepEqual(woke, [200, 400, 600]);
  });

  it('refuses a rate of zero', () => {
    assert.throws(() => new Pacer(0, new FakeClock()), RangeError);
  });
});
