import type { Config } from '../config/schema.js';
import type { RateLimit } from '../providers/network/options.js';

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

const BUILT_IN = ['audible', 'audnexus', 'hardcover', 'openlibrary', 'googlebooks', 'itunes'] as const;

/** Boundary settings of a provider id (`audnexus`, `custom:<name>`, …) from the parsed config. */
export function settingsFor(config: Config, providerId: string): ProviderBoundarySettings {
  const builtIn = BUILT_IN.find((id) => id === providerId);
  if (builtIn) {
    const p = config.providers[builtIn];
    const region = 'region' in p ? p.region : 'country' in p ? p.country.toLowerCase() : undefined;
    return {
      rateLimit: p.rateLimit,
      timeoutMs: p.timeoutMs,
      cacheTtlSeconds: p.cacheTtlSeconds,
      ...(region ? { region } : {}),
    };
  }
  const name = providerId.startsWith('custom:') ? providerId.slice('custom:'.length) : providerId;
  const custom = config.providers.custom.find((c) => c.name === name);
  if (custom) {
    return {
      rateLimit: custom.rateLimit,
      timeoutMs: custom.timeoutMs,
      cacheTtlSeconds: custom.cacheTtlSeconds,
    };
  }
  return FALLBACK_SETTINGS;
}
