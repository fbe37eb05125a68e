import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { LookupContext } from '../domain/lookup.js';
import type { EventBus } from '../events/bus.js';
import { itemFilesOf } from '../providers/local/files.js';
import type { AsyncProvider, MetadataProvider } from '../providers/types.js';
import { cacheThrough } from './cached-provider.js';
import { makeCacheKey } from './keys.js';
import type { MetadataCache } from './metadata-cache.js';

/** Tag readings stay valid as long as the files do: the key changes with any file. @default 30 days */
export const FILE_READING_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The key of a reading of the item's audio files: folder, and each file's name, size and mtime.
 * Undefined when the item has no reachable audio (nothing worth caching).
 */
export async function audioFingerprintKey(
  providerId: string,
  ctx: LookupContext,
): Promise<string | undefined> {
  const listing = await itemFilesOf(ctx);
  if (!listing?.audio.length) return undefined;
  const hash = createHash('sha256').update(listing.root);
  try {
    const stats = await Promise.all(listing.audio.map((f) => stat(f.abs)));
    listing.audio.forEach((f, i) => {
      hash.update(`\0${f.rel}\0${stats[i]?.size}\0${stats[i]?.mtimeMs}`);
    });
  } catch {
    return undefined;
  }
  return makeCacheKey(providerId, 'search', `files-${hash.digest('hex').slice(0, 40)}`, 'any');
}

/**
 * Caches a local provider that reads the item's audio files (`local-tags`) by the files'
 * fingerprint: a re-run over unchanged files reads one cache entry instead of parsing every file
 * (the largest local cost of a re-run). A file rewritten, added or removed changes the key.
 * `refresh` reads the files again; readings with an error are not kept.
 */
export function withFileFingerprintCache(
  provider: MetadataProvider,
  cache: MetadataCache,
  ttlSeconds = FILE_READING_TTL_SECONDS,
  events?: EventBus,
): MetadataProvider {
  if (provider.mode !== 'async') return provider;
  const lookup = cacheThrough(
    provider,
    cache,
    (ctx) => audioFingerprintKey(provider.id, ctx),
    () => ttlSeconds,
    events,
  );
  const wrapped: AsyncProvider = { ...provider, lookup };
  return wrapped;
}
