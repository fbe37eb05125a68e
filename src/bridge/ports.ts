import type { AbsBookMedia, AbsLibraryItem } from '../abs/schemas.js';
import type { AbsClient } from '../abs/types.js';
import type { AggregateOptions } from '../aggregate/aggregator.js';
import type { QueueClock } from '../boundary/queue-clock.js';
import type { AggregatedResult } from '../domain/aggregated.js';
import type { LookupContext } from '../domain/lookup.js';
import type { EventBus } from '../events/bus.js';
import type { DecisionOutcome } from '../matching/decision.js';
import type { SocketState } from './service/types.js';

/**
 * What the bridge needs from outside, as narrow ports: Audiobookshelf (over the REST client in
 * `src/abs/`), the matcher, the event bus and the concurrency gauge. `src/app/` builds them and
 * hands them in; tests hand in the real client pointed at the fake ABS.
 */

export type AbsItem = AbsLibraryItem;
export type AbsMedia = AbsBookMedia;

/** REST operations the bridge uses (a subset of the ABS client). */
export type BridgeAbs = Pick<
  AbsClient,
  | 'getItem'
  | 'listLibraries'
  | 'listLibraryItems'
  | 'patchMedia'
  | 'updateChapters'
  | 'uploadCoverFromUrl'
  | 'scanItem'
> &
  Partial<Pick<AbsClient, 'baseUrl' | 'ping' | 'batchGet' | 'batchUpdate' | 'getLibraryNames'>>;

/** Socket events the bridge reacts to, already validated by the listener. */
export interface BridgeListenerEvents {
  item_added: AbsItem;
  items_added: AbsItem[];
  item_updated: AbsItem;
  items_updated: AbsItem[];
  task_finished: { action?: string; libraryId?: string };
  /** Every (re)connection that authenticated: the bridge catches up. */
  ready: undefined;
  state: SocketState;
}

/** The socket side, as the bridge sees it (adapted from src/abs's listener in abs-adapter.ts). */
export interface BridgeListener {
  on<K extends keyof BridgeListenerEvents>(
    event: K,
    handler: (payload: BridgeListenerEvents[K]) => void,
  ): () => void;
  state(): SocketState;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The matching side as the pipeline sees it: the aggregator and the decision bands (built in src/app). */
export interface BridgeMatcher {
  aggregate(ctx: LookupContext, options?: AggregateOptions): Promise<AggregatedResult>;
  /** Local providers' ids: a library that names its own network providers still asks these. */
  readonly localProviderIds: readonly string[];
  decide(result: AggregatedResult): DecisionOutcome;
  /** When the provider cache was last cleared (ms, 0: never): older runs are not "unchanged". */
  cacheClearedAt?(): Promise<number>;
}

/** Where the bridge tells what happened (the process's event bus). */
export type BridgeEventSink = Pick<EventBus, 'emit'>;

/**
 * Items processed at once: a fixed `bridge.concurrency`, or sized from the providers' limits and
 * the observed work (boundary/concurrency.ts); `track` measures one item's work.
 */
export interface BridgeConcurrency {
  readonly value: number;
  /** The work gets the item's clocks to hand to `BridgeMatcher.aggregate` (its `clocks` option). */
  track<T>(work: (clock: QueueClock) => Promise<T>): Promise<T>;
}
