import { createPlainHttp } from '../../src/boundary/plain-http.js';
import type { RateLimiter } from '../../src/boundary/rate-limiter.js';
import { createResilientHttp } from '../../src/boundary/resilient-http.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { EventBus } from '../../src/events/bus.js';
import type { RateLimit } from '../../src/providers/network/options.js';

/** Boundary settings for tests: fast backoff, small breaker. */
export function boundaryConfig(overrides: Record<string, unknown> = {}): Config['boundary'] {
  return parseConfig({ boundary: { retry: { initialDelayMs: 20, maxDelayMs: 100 }, ...overrides } }).boundary;
}

/** A resilient HTTP for provider `p` against a loopback server, recording events. */
export function makeHttp(opts: {
  limiter: RateLimiter;
  rateLimit: RateLimit;
  boundary?: Config['boundary'];
  timeoutMs?: number;
  providerId?: string;
}) {
  const events = new EventBus();
  const seen: string[] = [];
  for (const name of [
    'provider.circuit.open',
    'provider.circuit.half_open',
    'provider.circuit.close',
    'provider.rate_limited',
  ] as const) {
    events.on(name, () => {
      seen.push(name);
    });
  }
  const providerId = opts.providerId ?? 'p';
  const http = createResilientHttp({
    providerId,
    plain: createPlainHttp(providerId, { userAgent: 'test', timeoutMs: 5000 }),
    limiter: opts.limiter,
    rateLimit: opts.rateLimit,
    timeoutMs: opts.timeoutMs ?? 2000,
    boundary: opts.boundary ?? boundaryConfig(),
    events,
  });
  return { http, events, seen };
}
