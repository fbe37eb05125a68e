import type { Config } from '../../config/schema.js';
import type { MetadataProvider, ProviderContext } from '../types.js';
import { createFolderProvider } from './folder.js';
import { createLibationProvider } from './libation.js';
import { createSidecarsProvider } from './sidecars.js';
import { createTagsProvider } from './tags.js';

export { FOLDER_PROVIDER_ID } from './folder.js';
export { LIBATION_PROVIDER_ID } from './libation.js';
export { SIDECARS_PROVIDER_ID } from './sidecars.js';
export { TAGS_PROVIDER_ID } from './tags.js';

/**
 * Builds the enabled local providers from `providers.local`, most specific first: Libation's
 * catalog copy, sidecars, embedded tags, then folder names. They read `ctx.path`/`ctx.fileNames`.
 */
export function createLocalProviders(
  config: Config,
  _contextFor: (providerId: string) => ProviderContext,
): MetadataProvider[] {
  const local = config.providers.local;
  const providers: MetadataProvider[] = [];
  if (local.libation.enabled) {
    const { weight, exportPath } = local.libation;
    providers.push(createLibationProvider({ weight, ...(exportPath ? { exportPath } : {}) }));
  }
  if (local.sidecars.enabled) providers.push(createSidecarsProvider({ weight: local.sidecars.weight }));
  if (local.tags.enabled) {
    providers.push(createTagsProvider({ weight: local.tags.weight, ffprobePath: local.ffprobePath }));
  }
  if (local.folder.enabled) providers.push(createFolderProvider({ weight: local.folder.weight }));
  return providers;
}
