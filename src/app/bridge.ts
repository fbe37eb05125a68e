import { AbsSocketListener } from '../abs/socket.js';
import { serializeCatalogueWrites } from '../bridge/pipeline/catalogue-writes.js';
import { coalesceItemReads } from '../bridge/pipeline/item-reads.js';
import { coalesceItemWrites } from '../bridge/pipeline/item-writes.js';
import { LibrarySpellings } from '../bridge/pipeline/spellings.js';
import type { BridgeAbs, BridgeListener, BridgeMatcher } from '../bridge/ports.js';
import { BridgeImpl } from '../bridge/service/bridge.js';
import type { Bridge, BridgeTiming } from '../bridge/service/parts.js';
import { createMemoryLocks, createRedisLocks, type LockManager } from '../bridge/state/locks.js';
import { openRuntimeSettings, type RuntimeSettings } from '../bridge/state/runtime-settings.js';
import { openStateStore, type StateStore, stateUrlOf } from '../bridge/state/state-store.js';
import { bridgeListenerFrom } from '../bridge/triggers/socket-adapter.js';
import { createDefaultExporters } from '../exporters/index.js';
import type { ExporterRegistry } from '../exporters/registry.js';
import type { Logger } from '../logging.js';
import type { Runtime } from './runtime.js';

export interface BridgeDeps {
  runtime: Runtime;
  abs: BridgeAbs;
  /** src/abs's socket listener (or any BridgeListener). Absent: polling mode (catch-up only). */
  listener?: AbsSocketListener | BridgeListener;
  logger: Logger;
}

export interface BridgeOptions extends BridgeTiming {
  /** Default: from config (Redis when cache.url is redis://, else SQLite in dataDir). */
  store?: StateStore;
  locks?: LockManager;
  /** Exporters for sidecars. @default metadata.json and OPF from the format codecs */
  exporters?: ExporterRegistry;
  /** The page's settings (genre rules). @default `<dataDir>/settings.json` */
  settings?: RuntimeSettings;
}

/**
 * Builds the bridge from the runtime: opens the state store and the locks (closed again by
 * `stop()`, unless handed in), adapts the socket listener, wraps ABS so reads of one item are
 * shared and author/series writes go in order, and hands the bridge its parts.
 */
export async function createBridge(deps: BridgeDeps, options: BridgeOptions = {}): Promise<Bridge> {
  const { runtime, logger } = deps;
  const { config } = runtime;
  const { store: givenStore, locks: givenLocks, exporters, settings, ...timing } = options;
  const url = stateUrlOf(config);
  const locks = givenLocks ?? (url.startsWith('redis') ? await createRedisLocks(url) : createMemoryLocks());
  const store = givenStore ?? openStateStore(url);
  const reads = coalesceItemReads(coalesceItemWrites(deps.abs));
  const abs = serializeCatalogueWrites(reads);
  const listener =
    deps.listener instanceof AbsSocketListener ? bridgeListenerFrom(deps.listener) : deps.listener;
  return new BridgeImpl({
    config,
    abs,
    readAhead: (ids) => reads.readAhead(ids),
    ...(listener ? { listener } : {}),
    store,
    locks,
    exporters: exporters ?? createDefaultExporters(),
    spellings: new LibrarySpellings(
      async (libraryId) => (abs.getLibraryNames ? abs.getLibraryNames(libraryId) : null),
      { aliases: config.bridge.aliases },
    ),
    settings: settings ?? openRuntimeSettings(config.dataDir),
    matcher: matcherOf(runtime),
    events: runtime.events,
    concurrency: runtime.concurrency,
    logger,
    timing,
    async close() {
      if (!givenStore) await store.close();
      if (!givenLocks) await locks.close();
    },
  });
}

/** The aggregator and the decision bands, as the bridge and the ABS provider endpoint ask them. */
export function matcherOf(runtime: Pick<Runtime, 'aggregator' | 'decideOn' | 'cache'>): BridgeMatcher {
  const { aggregator } = runtime;
  // Read at most once a second: a re-run asks for every book; a `cache clear` from another
  // process is seen within that second.
  let clearedAt: { at: number; value: Promise<number> } | undefined;
  return {
    aggregate: (ctx, options) => aggregator.aggregate(ctx, options),
    localProviderIds: aggregator.providers.filter((p) => p.kind === 'local').map((p) => p.id),
    decide: (result) => runtime.decideOn(result),
    cacheClearedAt: () => {
      const now = Date.now();
      if (!clearedAt || now - clearedAt.at > 1000) clearedAt = { at: now, value: runtime.cache.clearedAt() };
      return clearedAt.value;
    },
  };
}
