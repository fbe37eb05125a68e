import type { Config } from '../../config/schema.js';
import type { MetadataProvider, ProviderContext, ProviderDefinition } from '../types.js';
import { audibleDefinition } from './audible/index.js';
import { audnexusDefinition } from './audnexus/index.js';
import { customProviderDefinition } from './custom.js';
import { googleBooksDefinition } from './googlebooks.js';
import { hardcoverDefinition } from './hardcover/index.js';
import { iTunesDefinition } from './itunes.js';
import { openLibraryDefinition } from './openlibrary.js';

/** Every built-in network provider definition, keyed by id (registration order = merge tie-break). */
export const networkProviderDefinitions = {
  audible: audibleDefinition,
  audnexus: audnexusDefinition,
  hardcover: hardcoverDefinition,
  openlibrary: openLibraryDefinition,
  googlebooks: googleBooksDefinition,
  itunes: iTunesDefinition,
} as const;

type BuiltinId = keyof typeof networkProviderDefinitions;

/** Builds the enabled network providers from config, in their registry order. */
export function createNetworkProviders(
  config: Config,
  contextFor: (providerId: string) => ProviderContext,
): MetadataProvider[] {
  const providers: MetadataProvider[] = [];
  for (const id of Object.keys(networkProviderDefinitions) as BuiltinId[]) {
    const options = config.providers[id];
    if (!options.enabled) continue;
    const context = contextFor(id);
    if (id === 'hardcover' && !config.providers.hardcover.token) {
      // Enabled without a token: say so once instead of failing every lookup with 401.
      context.logger.warn(
        'hardcover is enabled but has no token (providers.hardcover.token or HARDCOVER_TOKEN); skipped',
      );
      continue;
    }
    const definition = networkProviderDefinitions[id] as ProviderDefinition<typeof options>;
    providers.push(definition.create(options, context));
  }
  for (const custom of config.providers.custom) {
    if (!custom.enabled) continue;
    const definition = customProviderDefinition(custom.name);
    providers.push(definition.create(custom, contextFor(definition.id)));
  }
  return providers;
}
