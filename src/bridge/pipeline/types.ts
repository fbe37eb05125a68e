import type { AggregateOptions } from '../../aggregate/aggregator.js';
import type { Config } from '../../config/schema.js';
import type { ExporterRegistry } from '../../exporters/registry.js';
import type { Logger } from '../../logging.js';
import type { BridgeAbs, BridgeEventSink, BridgeMatcher } from '../ports.js';
import type { MatchHint, MatchOutcome } from '../service/types.js';
import type { LockManager } from '../state/locks.js';
import type { RuntimeSettings } from '../state/runtime-settings.js';
import type { BridgeItemRecord, StateStore } from '../state/state-store.js';
import type { LibrarySpellings } from './spellings.js';

/** One pipeline run. `force` ignores "already processed"; `approve` applies whatever the decision. */
export interface ProcessRequest {
  itemId: string;
  reason: string;
  force?: boolean;
  refresh?: boolean;
  dryRun?: boolean;
  /** A person's title/author or ASIN for this match (src/bridge/service/types.ts MatchHint). */
  hint?: MatchHint;
  /** A person approved: apply the stored result (or one of its candidates). */
  approve?: { candidateIndex?: number };
  /** When the request was queued (ms): a record processed after it means the work is done. */
  queuedAt?: number;
  /** The item's clocks, added by the worker (concurrency.track): its lookups' queue waits stop them. */
  clocks?: AggregateOptions['clocks'];
}

/** What one pipeline run needs; the bridge facade hands in the parts src/app built. */
export interface PipelineDeps {
  config: Config;
  matcher: BridgeMatcher;
  events: BridgeEventSink;
  abs: BridgeAbs;
  store: StateStore;
  locks: LockManager;
  logger: Logger;
  exporters?: ExporterRegistry;
  /** The library's spelling of names (absent: names are written as the providers give them). */
  spellings?: LibrarySpellings;
  /** The page's settings (genre rules), read per item so a saved rule applies to the next one. */
  settings?: RuntimeSettings;
  /** The clock for re-check schedules (tests). @default Date.now */
  now?: () => number;
  onPushed(itemId: string, snapshot: string): void;
}

/** The outcome of a run that did no work (locked elsewhere, up to date, not a book, …). */
export function skippedOutcome(
  req: ProcessRequest,
  reason: string,
  record?: BridgeItemRecord | null,
): MatchOutcome {
  return {
    itemId: req.itemId,
    decision: record?.decision ?? 'reject',
    confidence: record?.confidence ?? 0,
    reason,
    changes: [],
    applied: false,
    dryRun: Boolean(req.dryRun),
    sidecars: [],
    skipped: reason,
  };
}
