import { withCache } from '../cache/cached-provider.js';
import { MetadataCache } from '../cache/metadata-cache.js';
import { backendOf } from '../cache/open-store.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import type { MetadataProvider, ProviderHttp } from '../providers/types.js';
import { withBatching } from './batcher.js';
import type { ConcurrencySource } from './concurrency.js';
import type { BoundaryPolicy, ProviderBoundarySettings } from './options.js';
import { createPlainHttp } from './plain-http.js';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './rate-limiter.js';
import { type CircuitStatus, createResilientHttp, type ResilientHttp } from './resilient-http.js';

/** The shared provider boundary: one cache, one rate limiter, one breaker per provider. */
export interface Boundary {
  cache: MetadataCache;
  limiter: RateLimiter;
  /** HTTP for a provider: rate limit, breaker, retries and timeout included. */
  httpFor(providerId: string): ProviderHttp;
  /** Batching (when supported) and caching around a network provider. */
  wrap(provider: MetadataProvider): MetadataProvider;
  /** Circuit state of every provider that has made a request. */
  circuits(): Record<string, CircuitStatus>;
  /** Rate-limit slots taken per provider and the providers' limits (adaptive concurrency). */
  usage: Omit<ConcurrencySource, 'providers'>;
  close(): Promise<void>;
}

/** What the composition root hands the boundary: its own options, never the whole config. */
export interface BoundaryOptions {
  /** Picks the backends: `redis://` shares cache and buckets; SQLite, file or memory otherwise. */
  cacheUrl: string;
  userAgent: string;
  policy: BoundaryPolicy;
  /** TTLs of search answers and of "not found" answers, s. */
  searchTtlSeconds: number;
  negativeTtlSeconds: number;
  /** Limits, timeout, cache TTL and region of one provider id. */
  providerSettings(providerId: string): ProviderBoundarySettings;
}

export interface BoundaryDeps {
  logger: Logger;
  events: EventBus;
  /** One attempt of HTTP per provider; tests hand in their own. @default createPlainHttp */
  plainHttpFor?: (providerId: string, timeoutMs: number) => ProviderHttp;
}

/**
 * Builds the boundary from its options. The cache URL picks the backends: with Redis both the cache
 * and the rate-limit buckets are shared by every bridge on that Redis; otherwise buckets are
 * per process and the cache is the SQLite file (or memory).
 */
export function createBoundary(options: BoundaryOptions, deps: BoundaryDeps): Boundary {
  const { cacheUrl: url, policy, providerSettings: settingsFor } = options;
  const logger = deps.logger.child({ module: 'boundary' });
  const cache = new MetadataCache(url, { events: deps.events, logger: logger.child({ module: 'cache' }) });
  const limiterOptions = { maxWaitMs: policy.maxQueueWaitMs, logger };
  const backend =
    backendOf(url) === 'redis'
      ? createRedisRateLimiter(url, limiterOptions)
      : createMemoryRateLimiter(limiterOptions);
  // Slots taken per provider: what an item costs each provider, for sizing concurrency.
  const slots: Record<string, number> = {};
  const limiter: RateLimiter = {
    get shared() {
      return backend.shared;
    },
    acquire(key, limit, signal) {
      slots[key] = (slots[key] ?? 0) + 1;
      return backend.acquire(key, limit, signal);
    },
    block: (key, limit, ms) => backend.block(key, limit, ms),
    close: () => backend.close(),
  };
  const https = new Map<string, ResilientHttp>();
  const plainFor =
    deps.plainHttpFor ??
    ((id: string, timeoutMs: number) => createPlainHttp(id, { userAgent: options.userAgent, timeoutMs }));

  return {
    cache,
    limiter,
    httpFor(providerId) {
      const existing = https.get(providerId);
      if (existing) return existing;
      const settings = settingsFor(providerId);
      const http = createResilientHttp({
        providerId,
        plain: plainFor(providerId, settings.timeoutMs),
        limiter,
        rateLimit: settings.rateLimit,
        timeoutMs: settings.timeoutMs,
        boundary: policy,
        events: deps.events,
        logger,
      });
      https.set(providerId, http);
      return http;
    },
    wrap(provider) {
      if (provider.kind !== 'network') return provider;
      const settings = settingsFor(provider.id);
      const batched = withBatching(provider, { windowMs: policy.batchWindowMs });
      return withCache(
        batched,
        cache,
        {
          ttlSeconds: settings.cacheTtlSeconds,
          searchTtlSeconds: options.searchTtlSeconds,
          negativeTtlSeconds: options.negativeTtlSeconds,
          ...(settings.region ? { region: settings.region } : {}),
        },
        deps.events,
      );
    },
    circuits: () => Object.fromEntries([...https].map(([id, http]) => [id, http.circuit])),
    usage: {
      slotsTaken: () => slots,
      perSecond: (id) => settingsFor(id).rateLimit.perMinute / 60,
    },
    async close() {
      await Promise.all([cache.close(), limiter.close()]);
    },
  };
}
