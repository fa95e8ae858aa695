/**
 * A clock for tests: sleeping advances time instantly, and every sleep is
 * recorded so pacing and backoff can be asserted exactly.
 */
import type { Clock } from './clock.ts';

export class FakeClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}
