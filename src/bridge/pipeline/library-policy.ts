import type { Config } from '../../config/schema.js';

/**
 * Per-library policy: an ABS library may have its own field policy, sidecars, chapters/cover,
 * re-check schedule and genre rules (`libraries.<libraryId>` in config; an English and a German
 * library side by side). What a library does not set comes from the top level.
 */
export function configForLibrary(config: Config, libraryId: string | undefined): Config {
  const own = libraryId ? config.libraries[libraryId] : undefined;
  if (!own) return config;
  const bridge = defined(own.bridge);
  return {
    ...config,
    bridge: {
      ...config.bridge,
      ...bridge,
      fieldPolicy: { ...config.bridge.fieldPolicy, ...bridge.fieldPolicy },
    },
    genres: { ...config.genres, ...defined(own.genres) },
  };
}

/** The keys that were set (a partial schema may leave keys present with `undefined`). */
function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** How one library's books are looked up: which network providers, which marketplace region. */
export function lookupForLibrary(
  config: Config,
  libraryId: string | undefined,
): { networkProviders?: readonly string[]; region?: string } {
  const own = libraryId ? config.libraries[libraryId] : undefined;
  return {
    ...(own?.providers ? { networkProviders: own.providers } : {}),
    ...(own?.region ? { region: own.region } : {}),
  };
}
