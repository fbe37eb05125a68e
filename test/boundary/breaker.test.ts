import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../src/boundary/rate-limiter.js';
import { AuthError, CircuitOpenError, TimeoutError } from '../../src/errors.js';
import { boundaryConfig, makeHttp } from './helpers.js';
import { startLimitServer } from './limit-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function server() {
  const s = await startLimitServer({ limit: 10_000, windowMs: 1000 });
  closers.push(() => s.close());
  return s;
}
const fast = { perMinute: 60_000, burst: 100 };

describe('circuit breaker', () => {
  it('opens after consecutive outages, refuses without calling, probes after the recovery time and closes', async () => {
    const s = await server();
    s.script(Array.from({ length: 3 }, () => ({ status: 503 })));
    const { http, seen } = makeHttp({
      limiter: createMemoryRateLimiter(),
      rateLimit: fast,
      boundary: boundaryConfig({
        retry: { maxAttempts: 1 },
        breaker: { failureThreshold: 3, halfOpenAfterMs: 300 },
      }),
    });
    for (let i = 0; i < 3; i++) {
      await expect(http.request({ url: s.url })).rejects.toMatchObject({
        code: 'UPSTREAM_ERROR',
        status: 503,
      });
    }
    expect(http.circuit).toBe('open');
    await expect(http.request({ url: s.url })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(s.arrivals).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 350));
    const probe = await http.request({ url: s.url });
    expect(probe.status).toBe(200);
    expect(http.circuit).toBe('closed');
    expect(seen).toEqual(['provider.circuit.open', 'provider.circuit.half_open', 'provider.circuit.close']);
  });

  it('429s and 4xx do not count as outages', async () => {
    const s = await server();
    s.script([{ status: 404 }, { status: 404 }, { status: 429, headers: { 'retry-after': '0' } }]);
    const { http } = makeHttp({
      limiter: createMemoryRateLimiter(),
      rateLimit: fast,
      boundary: boundaryConfig({ breaker: { failureThreshold: 1 } }),
    });
    expect((await http.request({ url: s.url })).status).toBe(404);
    expect((await http.request({ url: s.url })).status).toBe(404);
    expect((await http.request({ url: s.url })).status).toBe(200);
    expect(http.circuit).toBe('closed');
  });
});

describe('retries', () => {
  it('retries 5xx with backoff and succeeds', async () => {
    const s = await server();
    s.script([{ status: 502 }, { status: 500 }]);
    const { http } = makeHttp({ limiter: createMemoryRateLimiter(), rateLimit: fast });
    expect((await http.request({ url: s.url })).status).toBe(200);
    expect(s.arrivals).toHaveLength(3);
  });

  it('never retries an auth failure', async () => {
    const s = await server();
    s.script([{ status: 401 }]);
    const { http } = makeHttp({ limiter: createMemoryRateLimiter(), rateLimit: fast });
    await expect(http.request({ url: s.url })).rejects.toBeInstanceOf(AuthError);
    expect(s.arrivals).toHaveLength(1);
  });

  it('times out a slow attempt, retries it, then reports a TimeoutError', async () => {
    const s = await server();
    s.script([
      { status: 200, delayMs: 400 },
      { status: 200, delayMs: 400 },
    ]);
    const { http } = makeHttp({
      limiter: createMemoryRateLimiter(),
      rateLimit: fast,
      timeoutMs: 100,
      boundary: boundaryConfig({ retry: { maxAttempts: 2, initialDelayMs: 10 } }),
    });
    const error = await http.request({ url: s.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(s.arrivals).toHaveLength(2);
  });

  it('stops waiting when the caller aborts', async () => {
    const s = await server();
    s.script([{ status: 503 }, { status: 503 }, { status: 503 }]);
    const { http } = makeHttp({
      limiter: createMemoryRateLimiter(),
      rateLimit: fast,
      boundary: boundaryConfig({ retry: { maxAttempts: 5, initialDelayMs: 2000, maxDelayMs: 5000 } }),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('item cancelled')), 100);
    const started = performance.now();
    await expect(http.request({ url: s.url, signal: controller.signal })).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
