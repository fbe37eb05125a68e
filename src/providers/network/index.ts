import type { Config } from '../../config/schema.js';
import type { MetadataProvider, ProviderContext } from '../types.js';

/** Builds the enabled network providers from config, in their registry order. */
export function createNetworkProviders(
  _config: Config,
  _contextFor: (providerId: string) => ProviderContext,
): MetadataProvider[] {
  return [];
}
