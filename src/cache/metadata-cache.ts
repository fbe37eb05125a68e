import type { ProviderResult } from '../domain/provider-result.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../domain/versioning.js';
import { describeError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import { entryFromResult, migrateEntry, resultFromEntry } from './entry.js';
import { globToRegExp, makeCacheKey, parseCacheKey } from './keys.js';
import type { StoreBackend } from './open-store.js';
import { createKeyValueStore, type KeyValueStore, type StoredWithExpiry } from './store.js';

/**
 * When the cache was last cleared or invalidated (ms), kept in the cache itself so every process
 * sharing it sees it: the bridge's "nothing changed since the last run" shortcut does not stand
 * for a run made with answers that are gone (bridge/pipeline/unchanged.ts).
 */
const CLEARED_AT_KEY = 'meta:cleared-at';

/** Counts `cache stats` prints. */
export interface CacheStats {
  backend: StoreBackend;
  entries: number;
  byProvider: Record<string, number>;
  bySchemaVersion: Record<string, number>;
  /** Not-found answers among `entries`. */
  negative: number;
  sizeBytes?: number;
}

export interface MetadataCacheOptions {
  events?: EventBus;
  logger?: Logger;
  /** Per-operation limit (ms) after which a store call counts as failed. @default 2000 */
  opTimeoutMs?: number;
  /** Keyv namespace; `cache` unless tests isolate themselves. */
  namespace?: string;
}

/**
 * The provider cache. Reads and writes never throw: a store failure is logged, emitted as
 * `cache.error` and treated as a miss, so a broken cache slows items down but never fails them.
 * Management calls (invalidate, clear, stats) do throw — a person asked for them.
 */
export class MetadataCache {
  readonly #store: KeyValueStore;
  readonly #events: EventBus | undefined;
  readonly #logger: Logger | undefined;

  constructor(url: string, options: MetadataCacheOptions = {}) {
    this.#events = options.events;
    this.#logger = options.logger;
    this.#store = createKeyValueStore(url, options.namespace ?? 'cache', {
      ...(options.opTimeoutMs ? { opTimeoutMs: options.opTimeoutMs } : {}),
      onBackgroundError: (error) => this.#logger?.debug({ err: error }, 'cache connection error'),
      onDiscarded: (message) => void this.#failed('open', new Error(message)),
    });
  }

  get backend(): StoreBackend {
    return this.#store.backend;
  }

  /**
   * The cached result with `cached: true`, or undefined (miss, expired, unreadable or store down).
   * The key and the same lookup under every older schema are read in one store call: a miss costs
   * one round trip, not one per schema.
   */
  async get(key: string): Promise<ProviderResult | undefined> {
    try {
      const older = olderSchemaKeys(key);
      const [stored, ...olderStored] = await this.#store.getManyWithExpiry<unknown>([
        key,
        ...older.map((o) => o.key),
      ]);
      if (stored !== undefined) return await this.#decode(key, stored.value);
      return await this.#fromOlderSchema(key, older, olderStored);
    } catch (error) {
      await this.#failed('get', error);
      return undefined;
    }
  }

  /** Stores a found or not-found result for `ttlSeconds`. Results carrying an error are skipped. */
  async set(key: string, result: ProviderResult, ttlSeconds: number): Promise<void> {
    if (result.error) return;
    try {
      await this.#store.set(key, entryFromResult(result), ttlSeconds * 1000);
    } catch (error) {
      await this.#failed('set', error);
    }
  }

  /** Removes one key; true when it existed. */
  async invalidate(key: string): Promise<boolean> {
    return this.#store.delete(key);
  }

  /**
   * Removes every key matching a glob-ish pattern (`*` any run, `?` one character),
   * e.g. `2.0.0:audnexus:*` or `*:asin:B017V4IM1G:*`. Returns how many were removed.
   */
  async invalidatePattern(pattern: string): Promise<number> {
    const re = globToRegExp(pattern);
    const doomed: string[] = [];
    for await (const [key] of this.#store.entries())
      if (key !== CLEARED_AT_KEY && re.test(key)) doomed.push(key);
    for (const key of doomed) await this.#store.delete(key);
    if (doomed.length > 0) await this.#markCleared();
    return doomed.length;
  }

  /** Empties this cache's namespace (other namespaces in the same store are kept). */
  async clear(): Promise<void> {
    await this.#store.clear();
    await this.#markCleared();
  }

  /** When answers were last removed by `clear` or `invalidatePattern` (ms; 0: never, or unreadable). */
  async clearedAt(): Promise<number> {
    try {
      const at = await this.#store.get<number>(CLEARED_AT_KEY);
      return typeof at === 'number' ? at : 0;
    } catch (error) {
      await this.#failed('get', error);
      return 0;
    }
  }

  async #markCleared(): Promise<void> {
    await this.#store.set(CLEARED_AT_KEY, Date.now());
  }

  async stats(): Promise<CacheStats> {
    const stats: CacheStats = {
      backend: this.backend,
      entries: 0,
      byProvider: {},
      bySchemaVersion: {},
      negative: 0,
    };
    for await (const [key, value] of this.#store.entries<{ success?: boolean }>()) {
      if (key === CLEARED_AT_KEY) continue;
      const parsed = parseCacheKey(key);
      const provider = parsed?.provider ?? '(other)';
      const version = parsed?.schemaVersion ?? '(other)';
      stats.entries++;
      stats.byProvider[provider] = (stats.byProvider[provider] ?? 0) + 1;
      stats.bySchemaVersion[version] = (stats.bySchemaVersion[version] ?? 0) + 1;
      if (value && value.success === false) stats.negative++;
    }
    const size = await this.#store.sizeBytes();
    return size === undefined ? stats : { ...stats, sizeBytes: size };
  }

  async close(): Promise<void> {
    await this.#store.close();
  }

  async #decode(key: string, stored: unknown): Promise<ProviderResult | undefined> {
    try {
      return resultFromEntry(migrateEntry(stored, `cache ${key}`), `cache ${key}`);
    } catch (error) {
      // An unreadable entry is dropped so the next fetch replaces it.
      await this.#failed('decode', error);
      await this.#store.delete(key).catch(() => false);
      return undefined;
    }
  }

  /** On a miss, the first older-schema entry found (newest schema first), migrated and moved to `key`. */
  async #fromOlderSchema(
    key: string,
    older: readonly OlderKey[],
    stored: readonly (StoredWithExpiry<unknown> | undefined)[],
  ): Promise<ProviderResult | undefined> {
    for (const [i, { key: oldKey, from }] of older.entries()) {
      const found = stored[i];
      if (!found) continue;
      const result = await this.#decode(oldKey, found.value);
      if (!result) continue;
      const ttlMs = found.expiresAt === undefined ? undefined : found.expiresAt - Date.now();
      if (ttlMs === undefined || ttlMs > 0) {
        await this.#store.set(key, entryFromResult(result), ttlMs);
      }
      await this.#store.delete(oldKey);
      this.#logger?.debug({ key, from }, 'migrated cache entry from an older schema');
      return result;
    }
    return undefined;
  }

  async #failed(operation: string, error: unknown): Promise<void> {
    const message = describeError(error);
    this.#logger?.warn({ operation, err: message }, 'cache unavailable; treating as a miss');
    await this.#events?.emit('cache.error', { operation, message });
  }
}

interface OlderKey {
  key: string;
  from: string;
}

/** The same lookup's keys under every schema MIGRATIONS can bring up to date, newest first. */
function olderSchemaKeys(key: string): OlderKey[] {
  const parts = parseCacheKey(key);
  if (!parts || parts.schemaVersion !== SCHEMA_VERSION) return [];
  return [...MIGRATIONS].reverse().map(({ from }) => ({
    from,
    key: makeCacheKey(parts.provider, parts.idType, parts.identifier, parts.region, from),
  }));
}
