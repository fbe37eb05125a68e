import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, createRedisRateLimiter, reserve } from '../../src/boundary/rate-limiter.js';
import { ProviderError } from '../../src/errors.js';
import { redisUrlOrWarn } from '../setup/redis-env.js';
import { boundaryConfig, makeHttp } from './helpers.js';
import { type LimitServer, startLimitServer } from './limit-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('token bucket arithmetic (GCRA)', () => {
  it('lets a burst through at once, then spaces calls by the emission interval', () => {
    const limit = { perMinute: 60, burst: 3 };
    let tat = 0;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = reserve(tat, 1000, limit, 60_000);
      tat = r.tat;
      waits.push(r.waitMs);
    }
    expect(waits).toEqual([0, 0, 0, 1000, 2000]);
  });

  it('refuses without reserving when the wait would exceed the queue limit', () => {
    const r = reserve(10_000, 0, { perMinute: 60, burst: 1 }, 5000);
    expect(r).toEqual({ ok: false, waitMs: 10_000, tat: 10_000 });
  });

  it('the memory limiter refuses with a retryable error naming the wait', async () => {
    const limiter = createMemoryRateLimiter({ maxWaitMs: 50 });
    const limit = { perMinute: 60, burst: 1 };
    await limiter.acquire('p', limit);
    const error = await limiter.acquire('p', limit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('RATE_LIMIT_QUEUE_FULL');
  });
});

const redisUrl = redisUrlOrWarn();

describe.skipIf(!redisUrl)('two bridges sharing Redis', () => {
  it('stay within the upstream limit together, and no 429 reaches a caller', async () => {
    const server: LimitServer = await startLimitServer({ limit: 10, windowMs: 1000 });
    closers.push(() => server.close());
    // 9/s with burst 1: at most 1 + 9 = 10 in any 1 s window — exactly the server's limit.
    const rateLimit = { perMinute: 540, burst: 1 };
    const key = `shared-${Date.now()}`;
    const bridges = [0, 1].map(() => {
      const limiter = createRedisRateLimiter(redisUrl!, {});
      closers.push(() => limiter.close());
      return makeHttp({ limiter, rateLimit, providerId: key });
    });
    const started = performance.now();
    const calls = bridges.flatMap(({ http }) =>
      Array.from({ length: 12 }, () => http.request({ url: `${server.url}/books/x` })),
    );
    const results = await Promise.all(calls);
    const elapsed = performance.now() - started;
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(server.stats()).toMatchObject({ limited: 0, ok: 24 });
    expect(server.stats().maxPerWindow).toBeLessThanOrEqual(10);
    // 24 calls at 9/s shared take ≥ 23/9 s; unshared buckets would finish in about half that.
    expect(elapsed).toBeGreaterThan((23 / 9) * 1000 - 50);
  });

  it('control: with per-process buckets the same load overruns the upstream', async () => {
    const server = await startLimitServer({ limit: 10, windowMs: 1000 });
    closers.push(() => server.close());
    const bridges = [0, 1].map(() =>
      makeHttp({ limiter: createMemoryRateLimiter(), rateLimit: { perMinute: 540, burst: 1 } }),
    );
    await Promise.all(
      bridges.flatMap(({ http }) => Array.from({ length: 12 }, () => http.request({ url: server.url }))),
    );
    expect(server.stats().limited).toBeGreaterThan(0);
  });
});

describe('Retry-After', () => {
  it('a 429 with Retry-After delays the retry and the next call by that long', async () => {
    const server = await startLimitServer({ limit: 1000, windowMs: 1000 });
    closers.push(() => server.close());
    server.script([{ status: 429, headers: { 'retry-after': '1' } }]);
    const { http, seen } = makeHttp({
      limiter: createMemoryRateLimiter(),
      rateLimit: { perMinute: 6000, burst: 5 },
    });
    const first = await http.request({ url: `${server.url}/a` });
    expect(first.status).toBe(200);
    expect(server.arrivals).toHaveLength(2);
    const gap = (server.arrivals[1] ?? 0) - (server.arrivals[0] ?? 0);
    expect(gap).toBeGreaterThanOrEqual(990);
    expect(seen).toEqual(['provider.rate_limited']);
  });

  it('a Retry-After beyond maxRetryAfterMs fails the call at once (retryable, with the wait)', async () => {
    const server = await startLimitServer({ limit: 1000, windowMs: 1000 });
    closers.push(() => server.close());
    server.script([{ status: 429, headers: { 'retry-after': '120' } }]);
    const { http } = makeHttp({
      limiter: createMemoryRateLimiter(),
      rateLimit: { perMinute: 6000, burst: 5 },
      boundary: boundaryConfig({ maxRetryAfterMs: 5000 }),
    });
    const error = await http.request({ url: `${server.url}/a` }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 120_000 });
    expect(server.arrivals).toHaveLength(1);
  });
});
