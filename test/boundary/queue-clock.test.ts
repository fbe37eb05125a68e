import { afterEach, describe, expect, it, vi } from 'vitest';
import { runProvider } from '../../src/aggregate/run-provider.js';
import { withBatching } from '../../src/boundary/batcher.js';
import { carryClocks, clocksOf, QueueClock, queueWait } from '../../src/boundary/queue-clock.js';
import { createMemoryRateLimiter } from '../../src/boundary/rate-limiter.js';
import type { LookupContext } from '../../src/domain/lookup.js';
import { emptyResult } from '../../src/domain/provider-result.js';
import { EventBus } from '../../src/events/bus.js';
import type { AsyncProvider, ProviderHttp } from '../../src/providers/types.js';
import { makeHttp } from './helpers.js';
import { type LimitServer, startLimitServer } from './limit-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const ctx = { title: 'x', authors: [], narrators: [], series: [], fileNames: [] } as unknown as LookupContext;

function httpProvider(http: ProviderHttp, url: string): AsyncProvider {
  return {
    id: 'p',
    kind: 'network',
    mode: 'async',
    weight: 1,
    capabilities: { idTypes: ['search'], supportsBatch: false, maxBatchSize: 1 },
    async lookup(_ctx, { signal }) {
      await http.request({ url, signal });
      return { ...emptyResult('p'), success: true };
    },
  } as AsyncProvider;
}

describe('queue clock', () => {
  it('stops while queued; overlapping waits count once', async () => {
    // A fake clock: the two 60 ms waits overlap exactly, so the sum must be 60, not 120.
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      const clock = new QueueClock();
      const done = Promise.all([
        queueWait(() => new Promise((r) => setTimeout(r, 60)), [clock]),
        queueWait(() => new Promise((r) => setTimeout(r, 60)), [clock]),
      ]);
      await vi.advanceTimersByTimeAsync(60);
      await done;
      expect(clock.paused).toBe(false);
      expect(clock.waitedMs).toBe(60);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a batch sent for several callers stops each caller’s clock', async () => {
    const clocks = [new QueueClock(), new QueueClock()];
    const provider = {
      id: 'b',
      kind: 'network',
      mode: 'async',
      weight: 1,
      capabilities: { idTypes: ['asin'], supportsBatch: true, maxBatchSize: 10 },
      lookup: async () => emptyResult('b'),
      lookupBatch: async (ctxs: LookupContext[], { signal }: { signal: AbortSignal }) => {
        await queueWait(() => new Promise((r) => setTimeout(r, 50)), clocksOf(signal));
        return ctxs.map(() => emptyResult('b'));
      },
    } as AsyncProvider;
    const batched = withBatching(provider, { windowMs: 5 }) as AsyncProvider;
    await Promise.all(
      clocks.map((c) => batched.lookup(ctx, { signal: carryClocks(new AbortController().signal, [c]) })),
    );
    for (const c of clocks) expect(c.waitedMs).toBeGreaterThanOrEqual(45);
  });
});

/** A provider behind a rate limit of 10/s, burst 1, on a local server: calls past the first queue. */
async function tenPerSecondProvider(): Promise<AsyncProvider> {
  const server: LimitServer = await startLimitServer({ limit: 1000, windowMs: 1000 });
  closers.push(() => server.close());
  const { http } = makeHttp({
    limiter: createMemoryRateLimiter(),
    rateLimit: { perMinute: 600, burst: 1 },
  });
  return httpProvider(http, `${server.url}/books/x`);
}

describe('provider timeout and the rate limiter queue', () => {
  it('a call waiting for a rate-limit slot does not time out: the timeout measures the attempt', async () => {
    // 10/s, burst 1: the 8th call waits ~700 ms for its slot, far beyond the 250 ms timeout.
    const provider = await tenPerSecondProvider();
    const events = new EventBus();
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => runProvider(provider, ctx, { timeoutMs: 250, events })),
    );
    expect(runs.map((r) => r.timedOut)).toEqual(Array(8).fill(false));
    expect(runs.every((r) => r.result.success)).toBe(true);
    expect(Math.max(...runs.map((r) => r.durationMs))).toBeGreaterThan(600);
  });

  it('the item’s clock handed to runProvider stops while its calls queue for a rate-limit slot', async () => {
    const provider = await tenPerSecondProvider();
    const item = new QueueClock();
    const started = performance.now();
    // 10/s, burst 1: the 6th call waits ~500 ms; the waits overlap and count once.
    await Promise.all(
      Array.from({ length: 6 }, () =>
        runProvider(provider, ctx, { timeoutMs: 2000, events: new EventBus(), clocks: [item] }),
      ),
    );
    const elapsed = performance.now() - started;
    expect(item.waitedMs).toBeGreaterThan(350);
    expect(item.waitedMs).toBeLessThanOrEqual(elapsed);
    expect(item.paused).toBe(false);
  });

  it('the overall deadline (timeout + queue allowance) still bounds a lookup that queues too long', async () => {
    const provider = await tenPerSecondProvider();
    const events = new EventBus();
    const runs = await Promise.all(
      Array.from({ length: 8 }, () =>
        runProvider(provider, ctx, { timeoutMs: 250, queueAllowanceMs: 100, events }),
      ),
    );
    expect(runs[0]?.timedOut).toBe(false);
    expect(runs.at(-1)?.timedOut).toBe(true);
    expect(runs.at(-1)?.durationMs).toBeLessThan(450);
  });

  it('a slow attempt still times out', async () => {
    const server: LimitServer = await startLimitServer({ limit: 1000, windowMs: 1000 });
    closers.push(() => server.close());
    server.script([{ status: 200, delayMs: 400 }]);
    const { http } = makeHttp({
      limiter: createMemoryRateLimiter(),
      rateLimit: { perMinute: 6000, burst: 5 },
      timeoutMs: 5000,
    });
    const provider = httpProvider(http, `${server.url}/books/x`);
    const run = await runProvider(provider, ctx, { timeoutMs: 150, events: new EventBus() });
    expect(run.timedOut).toBe(true);
    expect(run.durationMs).toBeLessThan(350);
  });
});
