import type { Config } from '../../config/schema.js';
import type { ExporterRegistry } from '../../exporters/registry.js';
import type { Logger } from '../../logging.js';
import type { LibrarySpellings } from '../pipeline/spellings.js';
import type {
  BridgeAbs,
  BridgeConcurrency,
  BridgeEventSink,
  BridgeListener,
  BridgeMatcher,
} from '../ports.js';
import type { LockManager } from '../state/locks.js';
import type { RuntimeSettings } from '../state/runtime-settings.js';
import type { StateStore } from '../state/state-store.js';
import type { BackfillEvent, BackfillMode, BackfillReport } from '../triggers/backfill.js';
import type { CatchUpReport } from '../triggers/catch-up.js';
import type { BridgeService } from './types.js';

/** Timers and the clock (tests shorten them). */
export interface BridgeTiming {
  /** Catch-up interval in polling mode. @default 30000 */
  pollIntervalMs?: number;
  /** Override bridge.catchUpIntervalSeconds (tests). */
  catchUpIntervalMs?: number;
  /** Override bridge.waitRetrySeconds as the re-check timer's interval (tests). */
  waitRetryMs?: number;
  /** The clock for re-check schedules (tests). @default Date.now */
  now?: () => number;
}

/** What the bridge is made of; src/app/bridge.ts builds every part. */
export interface BridgeParts {
  config: Config;
  abs: BridgeAbs;
  /** Starts reading these items ahead of their pipelines (a backfill's next few), batched. */
  readAhead?: (itemIds: readonly string[]) => void;
  /** The socket side. Absent: polling mode (catch-up only). */
  listener?: BridgeListener;
  store: StateStore;
  locks: LockManager;
  exporters: ExporterRegistry;
  spellings: LibrarySpellings;
  /** The page's settings (genre rules), read per item. */
  settings: RuntimeSettings;
  matcher: BridgeMatcher;
  events: BridgeEventSink;
  concurrency: BridgeConcurrency;
  logger: Logger;
  timing?: BridgeTiming;
  /** Releases what was opened for this bridge (store, locks), once the queue has drained. */
  close(): Promise<void>;
}

export interface Bridge extends BridgeService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs a catch-up now (also what start, reconnects and the interval do). */
  catchUp(): Promise<CatchUpReport>;
  backfill(
    libraryId: string,
    mode: BackfillMode,
    onProgress?: (e: BackfillEvent) => void,
    opts?: { dryRun?: boolean; incompleteBelow?: number; signal?: AbortSignal },
  ): Promise<BackfillReport>;
  /** Queues the books whose re-check is due (also what a 5-minute timer does). */
  recheckDue(): Promise<number>;
  /** Queues every item waiting for a provider now, due or not (the timer only queues due re-checks). */
  retryWaiting(): Promise<number>;
  /** Resolves when no job is queued or running. */
  idle(): Promise<void>;
}
