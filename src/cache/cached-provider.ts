import type { LookupContext } from '../domain/lookup.js';
import type { ProviderResult } from '../domain/provider-result.js';
import type { EventBus } from '../events/bus.js';
import type { AsyncProvider, LookupOptions, MetadataProvider } from '../providers/types.js';
import { cacheIdentityOf, makeCacheKey } from './keys.js';
import type { MetadataCache } from './metadata-cache.js';

/** How long a provider's answers stay cached. */
export interface CachePolicy {
  /** Found by ASIN/ISBN. */
  ttlSeconds: number;
  /** Found by a title/author search (search results drift faster). */
  searchTtlSeconds: number;
  /** Not found — short, so a book added upstream is picked up soon. */
  negativeTtlSeconds: number;
  /** Region used in the key when the context names none (the provider's configured region). */
  region?: string;
}

/** The key a provider's lookup of `ctx` is cached under; undefined when nothing identifies it. */
export function cacheKeyFor(
  provider: MetadataProvider,
  ctx: LookupContext,
  defaultRegion?: string,
): string | undefined {
  const identity = cacheIdentityOf(ctx, provider.capabilities.idTypes);
  if (!identity) return undefined;
  const region = (ctx.region ?? defaultRegion ?? 'any').toLowerCase();
  return makeCacheKey(provider.id, identity.idType, identity.identifier, region);
}

/**
 * Decorates an async provider with the cache: a hit returns the stored result (`cached: true`,
 * original `fetchedAt`); a miss calls the provider and stores found and not-found answers with
 * their TTLs. Thrown errors and results carrying an error are never cached. `refresh` skips the read.
 */
export function withCache(
  provider: MetadataProvider,
  cache: MetadataCache,
  policy: CachePolicy,
  events?: EventBus,
): MetadataProvider {
  if (provider.mode !== 'async') return provider;
  const { lookupBatch: _batch, ...rest } = provider;
  const wrapped: AsyncProvider = {
    ...rest,
    lookup: cacheThrough(
      provider,
      cache,
      (ctx) => cacheKeyFor(provider, ctx, policy.region),
      (result, key) => ttlFor(result, key, policy),
      events,
    ),
  };
  return wrapped;
}

/**
 * The read-through lookup every cached provider shares: no key → ask the provider; a hit (unless
 * `refresh`) → the stored result; else ask, and keep the answer unless it carries an error.
 */
export function cacheThrough(
  inner: AsyncProvider,
  cache: MetadataCache,
  keyOf: (ctx: LookupContext) => string | undefined | Promise<string | undefined>,
  ttlOf: (result: ProviderResult, key: string) => number,
  events?: EventBus,
): AsyncProvider['lookup'] {
  return async (ctx: LookupContext, options: LookupOptions): Promise<ProviderResult> => {
    const key = await keyOf(ctx);
    if (!key) return inner.lookup(ctx, options);
    if (!options.refresh) {
      const hit = await cache.get(key);
      if (hit) {
        await events?.emit('cache.hit', { provider: inner.id, key });
        // Stored just after `fetchedAt`, so this is at or a little before the entry's real expiry.
        const expiresAt = Date.parse(hit.fetchedAt) + ttlOf(hit, key) * 1000;
        return { ...hit, provider: inner.id, ...(Number.isFinite(expiresAt) ? { expiresAt } : {}) };
      }
    }
    await events?.emit('cache.miss', { provider: inner.id, key });
    const result = await inner.lookup(ctx, options);
    if (result.error) return result;
    const ttl = ttlOf(result, key);
    await cache.set(key, result, ttl);
    // Reckoned as a later hit reckons it, so both tell the same expiry.
    const expiresAt = Date.parse(result.fetchedAt) + ttl * 1000;
    return Number.isFinite(expiresAt) ? { ...result, expiresAt } : result;
  };
}

function ttlFor(result: ProviderResult, key: string, policy: CachePolicy): number {
  if (!result.success) return policy.negativeTtlSeconds;
  return key.includes(':search:') ? policy.searchTtlSeconds : policy.ttlSeconds;
}
