import type { Config } from '../../config/schema.js';
import type { MetadataProvider, ProviderContext } from '../types.js';

/** Builds the enabled local providers (tags, sidecars, Libation, folder names) from config. */
export function createLocalProviders(
  _config: Config,
  _contextFor: (providerId: string) => ProviderContext,
): MetadataProvider[] {
  return [];
}
