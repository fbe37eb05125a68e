import { FALLBACK_SETTINGS, type ProviderBoundarySettings } from '../boundary/options.js';
import { BUILTIN_PROVIDERS } from '../providers/builtin.js';
import type { Config } from './schema.js';

type BuiltInNetworkId = keyof typeof BUILTIN_PROVIDERS.network;
const isBuiltInNetwork = (id: string): id is BuiltInNetworkId => Object.hasOwn(BUILTIN_PROVIDERS.network, id);

/** Boundary settings of a provider id (`audnexus`, `custom:<name>`, …) from the parsed config. */
export function settingsFor(config: Config, providerId: string): ProviderBoundarySettings {
  if (isBuiltInNetwork(providerId)) {
    const p = config.providers[providerId];
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
