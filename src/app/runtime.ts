import { Aggregator } from '../aggregate/aggregator.js';
import { AdaptiveConcurrency } from '../boundary/concurrency.js';
import { type Boundary, createBoundary } from '../boundary/index.js';
import { QueueClock } from '../boundary/queue-clock.js';
import { withFileFingerprintCache } from '../cache/file-fingerprint.js';
import type { MetadataCache } from '../cache/metadata-cache.js';
import { cacheUrlOf } from '../config/load.js';
import { settingsFor } from '../config/provider-settings.js';
import type { Config } from '../config/schema.js';
import type { AggregatedResult } from '../domain/aggregated.js';
import { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import { type DecisionOutcome, decide } from '../matching/decision.js';
import { TAGS_PROVIDER_ID } from '../providers/local/index.js';
import type { MetadataProvider } from '../providers/types.js';
import { buildProviders } from './providers.js';

/** Everything a command needs, built once from config. `close()` releases connections. */
export interface Runtime {
  config: Config;
  logger: Logger;
  events: EventBus;
  providers: MetadataProvider[];
  aggregator: Aggregator;
  /** The provider cache (SQLite, Redis or memory per `cache.url`). */
  cache: MetadataCache;
  /** Rate limits, breakers and retries of the network providers. */
  boundary: Boundary;
  /**
   * Items the bridge processes at once: `bridge.concurrency` when set, otherwise sized from the
   * providers' rate limits and the observed work (boundary/concurrency.ts).
   */
  concurrency: { readonly value: number; track<T>(work: (clock: QueueClock) => Promise<T>): Promise<T> };
  /** Aggregation result plus the decision, as `identify` prints it. */
  decideOn(result: AggregatedResult): DecisionOutcome;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  offline?: boolean;
  strict?: boolean;
  events?: EventBus;
}

export async function createRuntime(
  config: Config,
  logger: Logger,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const events = options.events ?? new EventBus(logger.child({ module: 'events' }));
  const closers: (() => Promise<void>)[] = [];
  // Offline runs ask no network provider, so they need no cache file either.
  const boundary = createBoundary(
    {
      cacheUrl: options.offline ? 'memory://' : cacheUrlOf(config),
      userAgent: config.userAgent,
      policy: config.boundary,
      searchTtlSeconds: config.cache.searchTtlSeconds,
      negativeTtlSeconds: config.cache.negativeTtlSeconds,
      providerSettings: (id) => settingsFor(config, id),
    },
    { logger, events },
  );
  closers.push(() => boundary.close());
  // Audio tags are read again only when the files change (a re-run parses no file).
  const providers = buildProviders(config, {
    logger,
    events,
    httpFor: (id) => boundary.httpFor(id),
    wrap: (provider) => boundary.wrap(provider),
    ...(options.offline ? { offline: true } : {}),
  }).map((p) =>
    p.id === TAGS_PROVIDER_ID ? withFileFingerprintCache(p, boundary.cache, undefined, events) : p,
  );
  const aggregator = new Aggregator({
    providers,
    events,
    logger: logger.child({ module: 'aggregator' }),
    merge: { rules: { genres: 'union', tags: 'union', ...config.merge.rules } },
    minMatchConfidence: config.matching.minMatchConfidence,
    libraryLanguages: config.matching.libraryLanguages,
    ...(options.strict ? { strict: true } : {}),
  });
  const fixed = config.bridge.concurrency;
  const concurrency =
    fixed !== undefined
      ? { value: fixed, track: <T>(work: (clock: QueueClock) => Promise<T>) => work(new QueueClock()) }
      : new AdaptiveConcurrency({
          ...boundary.usage,
          providers: () => providers.filter((p) => p.kind === 'network').map((p) => p.id),
        });
  return {
    config,
    logger,
    events,
    providers,
    aggregator,
    concurrency,
    cache: boundary.cache,
    boundary,
    decideOn: (result) =>
      decide(
        {
          confidence: result.confidence,
          runnerUpConfidence: result.runnerUpConfidence,
          found: Object.keys(result.sources).length > 0,
        },
        config.matching,
      ),
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
