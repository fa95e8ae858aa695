/**
 * data.police.uk's rate limit: a leaky bucket per client that drains at
 * `perSecond` and holds `burst` requests; a request that would overflow it gets
 * 429. Kept in memory per server: a limit for fairness and compatibility, not a
 * security control (accounts have their own store-backed limits).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

interface Bucket {
  level: number;
  at: number;
}

export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  /** For tests: the clock in milliseconds. */
  now?: () => number;
}

export function rateLimit({ perSecond, burst, now = () => performance.now() }: RateLimitOptions) {
  const buckets = new Map<string, Bucket>();
  let lastSweep = now();

  return async function leakyBucket(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const t = now();
    // Forget clients whose buckets have drained, so the map cannot grow without bound.
    if (t - lastSweep > 60_000) {
      for (const [key, b] of buckets) if (b.level - ((t - b.at) / 1000) * perSecond <= 0) buckets.delete(key);
      lastSweep = t;
    }
    const key = request.ip;
    const bucket = buckets.get(key) ?? { level: 0, at: t };
    const level = Math.max(0, bucket.level - ((t - bucket.at) / 1000) * perSecond);
    if (level + 1 > burst) {
      bucket.level = level;
      bucket.at = t;
      buckets.set(key, bucket);
      reply.header('Retry-After', '1');
      throw new AppError('SC_ERR_RATE_LIMITED');
    }
    bucket.level = level + 1;
    bucket.at = t;
    buckets.set(key, bucket);
  };
}
