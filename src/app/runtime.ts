import { Aggregator } from '../aggregate/aggregator.js';
import type { AggregatedResult } from '../aggregate/types.js';
import type { Config } from '../config/schema.js';
import { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import { type DecisionOutcome, decide } from '../matching/decision.js';
import type { MetadataProvider } from '../providers/types.js';
import { buildProviders } from './providers.js';

/** Everything a command needs, built once from config. `close()` releases connections. */
export interface Runtime {
  config: Config;
  logger: Logger;
  events: EventBus;
  providers: MetadataProvider[];
  aggregator: Aggregator;
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
  const providers = buildProviders(config, {
    logger,
    events,
    ...(options.offline ? { offline: true } : {}),
  });
  const aggregator = new Aggregator({
    providers,
    events,
    logger: logger.child({ module: 'aggregator' }),
    merge: { rules: { genres: 'union', tags: 'union', ...config.merge.rules } },
    minMatchConfidence: config.matching.minMatchConfidence,
    ...(options.strict ? { strict: true } : {}),
  });
  return {
    config,
    logger,
    events,
    providers,
    aggregator,
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
