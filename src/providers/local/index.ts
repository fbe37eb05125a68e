import type { Config } from '../../config/schema.js';
import type { MetadataProvider, ProviderContext } from '../types.js';
import { createFolderProvider } from './folder.js';
import { createTagsProvider } from './tags.js';

/** Builds the enabled local providers (tags, sidecars, Libation, folder names) from config. */
export function createLocalProviders(
  config: Config,
  _contextFor: (providerId: string) => ProviderContext,
): MetadataProvider[] {
  const local = config.providers.local;
  const providers: MetadataProvider[] = [];
  if (local.tags.enabled)
    providers.push(createTagsProvider({ weight: local.tags.weight, ffprobePath: local.ffprobePath }));
  if (local.folder.enabled) providers.push(createFolderProvider({ weight: local.folder.weight }));
  return providers;
}
