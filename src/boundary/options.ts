import { z } from 'zod';
import type { RateLimit } from '../providers/network/options.js';

/**
 * The boundary's own options (config `boundary`): retries, circuit breakers, queueing and batching
 * for every network provider. The config assembles this schema; the boundary never reads the config.
 */
export const BoundaryPolicySchema = z.strictObject({
  retry: z
    .strictObject({
      /** Attempts per request, the first included. @default 3 */
      maxAttempts: z.number().int().min(1).max(10).default(3),
      /** First backoff delay (exponential with jitter after that). @default 250 */
      initialDelayMs: z.number().int().positive().default(250),
      maxDelayMs: z.number().int().positive().default(8000),
    })
    .prefault({}),
  breaker: z
    .strictObject({
      /** Consecutive failed requests (5xx, network, timeout) that open a provider's circuit. @default 5 */
      failureThreshold: z.number().int().positive().default(5),
      /** How long an open circuit refuses calls before one probe is let through. @default 30000 */
      halfOpenAfterMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  /** A 429 asking to wait longer than this fails the request (later requests still wait). @default 60000 */
  maxRetryAfterMs: z.number().int().nonnegative().default(60_000),
  /** Longest a request queues for its rate-limit slot before it is refused. @default 30000 */
  maxQueueWaitMs: z.number().int().positive().default(30_000),
  /** How long a batch-capable provider waits to group lookups. @default 15 */
  batchWindowMs: z.number().int().min(0).max(1000).default(15),
});

export type BoundaryPolicy = z.infer<typeof BoundaryPolicySchema>;

/** What the boundary needs to know about one provider. */
export interface ProviderBoundarySettings {
  rateLimit: RateLimit;
  /** Per-attempt HTTP timeout, ms. */
  timeoutMs: number;
  /** TTL of found identifier lookups, s. */
  cacheTtlSeconds: number;
  /** Configured marketplace region, part of the cache key. */
  region?: string;
}

/** Limits for providers the config does not describe (mocks, future providers): polite and finite. */
export const FALLBACK_SETTINGS: ProviderBoundarySettings = {
  rateLimit: { perMinute: 60, burst: 5 },
  timeoutMs: 10_000,
  cacheTtlSeconds: 24 * 3600,
};
