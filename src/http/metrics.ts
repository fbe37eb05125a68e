import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BridgeStatus } from '../bridge/service/types.js';
import type { EventBus } from '../events/bus.js';

/** Breaker state as a number, so a dashboard can graph it: closed 0, half-open 1, open 2. */
const BREAKER_STATE = { close: 0, half_open: 1, open: 2 } as const;

export interface BridgeMetrics {
  registry: Registry;
  /** Removes the event subscriptions. */
  stop(): void;
}

/**
 * Prometheus metrics fed from the event bus (counters, histograms) and, at scrape time, from the
 * bridge's status (queue depth, socket state). A registry per instance keeps tests isolated.
 */
export function createMetrics(events: EventBus, status: () => BridgeStatus): BridgeMetrics {
  const registry = new Registry();
  const items = new Counter({
    name: 'abs_bridge_items_total',
    help: 'Items processed, by decision (apply, review, reject, failed, skipped)',
    labelNames: ['decision'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'abs_bridge_provider_latency_seconds',
    help: 'Provider lookup wall time, by provider and outcome',
    labelNames: ['provider', 'outcome'],
    buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const cache = new Counter({
    name: 'abs_bridge_cache_requests_total',
    help: 'Cache lookups, by result (hit, miss)',
    labelNames: ['result'],
    registers: [registry],
  });
  const cacheErrors = new Counter({
    name: 'abs_bridge_cache_errors_total',
    help: 'Cache operations that failed',
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'abs_bridge_provider_rate_limited_total',
    help: 'Answers with status 429 (or local rate-limit waits), by provider',
    labelNames: ['provider'],
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'abs_bridge_provider_circuit_state',
    help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'],
    registers: [registry],
  });
  const counts = { hit: 0, miss: 0 };
  new Gauge({
    name: 'abs_bridge_cache_hit_ratio',
    help: 'Cache hits / (hits + misses) since start; 0 before the first lookup',
    registers: [registry],
    collect() {
      const total = counts.hit + counts.miss;
      this.set(total ? counts.hit / total : 0);
    },
  });
  addStatusGauges(registry, status);

  const offs = [
    events.on('item.applied', () => items.inc({ decision: 'apply' })),
    events.on('item.review', () => items.inc({ decision: 'review' })),
    events.on('item.rejected', () => items.inc({ decision: 'reject' })),
    events.on('item.waiting', () => items.inc({ decision: 'wait' })),
    events.on('item.failed', () => items.inc({ decision: 'failed' })),
    events.on('item.skipped', () => items.inc({ decision: 'skipped' })),
    events.on('provider.fetch.success', (e) =>
      latency.observe(
        { provider: e.provider, outcome: e.found ? 'found' : 'not_found' },
        e.durationMs / 1000,
      ),
    ),
    events.on('provider.fetch.error', (e) =>
      latency.observe({ provider: e.provider, outcome: 'error' }, e.durationMs / 1000),
    ),
    events.on('cache.hit', () => {
      counts.hit += 1;
      cache.inc({ result: 'hit' });
    }),
    events.on('cache.miss', () => {
      counts.miss += 1;
      cache.inc({ result: 'miss' });
    }),
    events.on('cache.error', () => cacheErrors.inc()),
    events.on('provider.rate_limited', (e) => rateLimited.inc({ provider: e.provider })),
    events.on('provider.circuit.open', (e) => breaker.set({ provider: e.provider }, BREAKER_STATE.open)),
    events.on('provider.circuit.half_open', (e) =>
      breaker.set({ provider: e.provider }, BREAKER_STATE.half_open),
    ),
    events.on('provider.circuit.close', (e) => breaker.set({ provider: e.provider }, BREAKER_STATE.close)),
  ];
  return {
    registry,
    stop() {
      for (const off of offs) off();
    },
  };
}

/** Gauges read from `status()` at scrape time. */
function addStatusGauges(registry: Registry, status: () => BridgeStatus): void {
  new Gauge({
    name: 'abs_bridge_queue_depth',
    help: 'Items waiting to be processed',
    registers: [registry],
    collect() {
      this.set(status().queueDepth);
    },
  });
  new Gauge({
    name: 'abs_bridge_queue_running',
    help: 'Items being processed now',
    registers: [registry],
    collect() {
      this.set(status().running);
    },
  });
  new Gauge({
    name: 'abs_bridge_abs_reachable',
    help: '1 when the last ABS request succeeded',
    registers: [registry],
    collect() {
      this.set(status().absReachable ? 1 : 0);
    },
  });
  new Gauge({
    name: 'abs_bridge_socket_connected',
    help: '1 when the ABS socket is connected and authenticated (or polling mode is on)',
    registers: [registry],
    collect() {
      const socket = status().socket;
      this.set(socket === 'connected' || socket === 'polling' ? 1 : 0);
    },
  });
}
