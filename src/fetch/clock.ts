/**
 * Time as the fetcher sees it, injectable so pacing and backoff can be tested
 * without waiting.
 */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
