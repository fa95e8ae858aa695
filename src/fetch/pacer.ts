/**
 * Spaces request starts evenly at a fixed rate. data.police.uk allows 15
 * requests/s with a burst of 30; spacing evenly below that (rather than
 * bursting) means we never lean on the burst allowance, which other clients
 * behind the same address may be using.
 */
import type { Clock } from './clock.ts';

export class Pacer {
  private readonly intervalMs: number;
  private next = -Infinity;

  constructor(
    ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('rate must be above 0');
    this.intervalMs = 1000 / ratePerSecond;
  }

  /**
   * Resolves when the caller may start its request. Slots are claimed
   * synchronously, so concurrent callers queue in call order; idle time does not
   * bank up into a burst.
   */
  async wait(): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.intervalMs;
    if (slot > now) await this.clock.sleep(slot - now);
  }
}
