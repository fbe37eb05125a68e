import { z } from 'zod';
import { BUILTIN_PROVIDERS } from '../providers/builtin.js';
import { MockProviderConfigSchema } from '../providers/mock.js';
import { CustomProviderSchema } from '../providers/network/custom.js';
import type { ProviderDefinition } from '../providers/types.js';

/** Each definition's own options schema under its key. */
function optionsOf<T extends Record<string, ProviderDefinition>>(definitions: T) {
  return Object.fromEntries(Object.entries(definitions).map(([key, d]) => [key, d.optionsSchema])) as {
    [K in keyof T]: T[K]['optionsSchema'];
  };
}

/**
 * `providers`: every built-in provider's options (each provider owns its schema), ABS custom
 * providers, canned mocks, and the local providers under `local` with the ffprobe they share.
 */
export const ProvidersSchema = z.strictObject({
  ...optionsOf(BUILTIN_PROVIDERS.network),
  custom: z.array(CustomProviderSchema).default([]),
  /** Canned providers (tests and the demo): answers keyed by ASIN, ISBN or lower-cased title. */
  mock: z.array(MockProviderConfigSchema).default([]),
  local: z
    .strictObject({
      ...optionsOf(BUILTIN_PROVIDERS.local),
      /** ffprobe binary used to read chapters music-metadata cannot. Empty disables it. */
      ffprobePath: z.string().default('ffprobe'),
    })
    .prefault({}),
});
