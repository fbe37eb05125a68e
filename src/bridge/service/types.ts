import type { SocketState } from '../../abs/socket.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import type { Decision } from '../../matching/decision.js';

/**
 * The matcher's decision, or `wait`: a provider the decision depends on was down, so nothing was
 * decided or written; the item is tried again once it answers (src/bridge/pipeline/outage.ts).
 */
export type BridgeDecision = Decision | 'wait';

/**
 * The contract between the bridge (which does the work) and the HTTP service / web page / CLI
 * (which show it and trigger it).
 */

export interface HistoryEntry {
  at: string;
  action:
    | 'applied'
    | 'review'
    | 'rejected'
    | 'approved'
    | 'undone'
    | 'skipped'
    | 'failed'
    | 'dry-run'
    | 'waiting';
  changedFields?: string[];
  /** What was written, field by field (old → new, provider), for the history view. */
  changes?: FieldChange[];
  confidence?: number;
  note?: string;
}

/** One changed field as a dry run or an apply reports it. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
  provider?: string;
  confidence?: number;
}

/** What the bridge knows about one ABS item. */
export interface ItemRecord {
  itemId: string;
  libraryId?: string;
  title?: string;
  decision?: BridgeDecision;
  confidence?: number;
  reason?: string;
  updatedAt: string;
  /** The last aggregation (metadata, sources, provenance, conflicts, candidates). */
  result?: AggregatedResult;
  /** The values the bridge last wrote to ABS (normalised as ABS stores them). */
  lastPushed?: PartialMetadata;
  /** ABS's values before the bridge's last overwrite, for undo. */
  previous?: PartialMetadata;
  history: HistoryEntry[];
}

export interface MatchOutcome {
  itemId: string;
  decision: BridgeDecision;
  confidence: number;
  reason: string;
  changes: FieldChange[];
  applied: boolean;
  dryRun: boolean;
  sidecars: string[];
  /** Set when the item was not processed (locked by another instance, missing folder, not a book…). */
  skipped?: string;
  /** Fields the bridge had values for but kept as they were (locked, edited by a person, fill-empty). */
  kept?: { field: string; reason: string }[];
  chaptersWritten?: boolean;
  coverSet?: boolean;
}

/**
 * What a person tells the matcher about a book it could not place: search with this title and
 * author, or take this ASIN. It replaces ABS's values for this one match only.
 */
export interface MatchHint {
  title?: string;
  author?: string;
  asin?: string;
}

/** Options of a re-match started by a person or a script. */
export interface RematchOptions {
  refresh?: boolean;
  dryRun?: boolean;
  hint?: MatchHint;
}

export interface UndoOutcome {
  itemId: string;
  restoredFields: string[];
}

export type { SocketState };

export interface BridgeStatus {
  absUrl?: string;
  absReachable: boolean;
  socket: SocketState;
  queueDepth: number;
  running: number;
  lastCatchUpAt?: string;
  startedAt: string;
  counts: Record<BridgeDecision | 'failed', number>;
}

export type BackfillMode = 'all' | 'unmatched' | 'incomplete';

export interface BackfillRequest {
  libraryId: string;
  mode: BackfillMode;
  dryRun?: boolean;
}

/** The current (or last) backfill started through the service, as the page shows it. */
export interface BackfillStatus {
  id: string;
  libraryId: string;
  mode: BackfillMode;
  dryRun: boolean;
  /** Items finished so far (of `total`; 0 until the library has been listed). */
  done: number;
  total: number;
  decisions: Record<string, number>;
  failed: number;
  running: boolean;
  /** Stopped by a person before every item was started; the next start resumes it. */
  stopped: boolean;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

export interface LibrarySummary {
  id: string;
  name: string;
}

/** What the HTTP service and the web page call. */
export interface BridgeService {
  status(): BridgeStatus;
  recentItems(limit: number): Promise<ItemRecord[]>;
  getItem(itemId: string): Promise<ItemRecord | null>;
  rematch(itemId: string, opts?: RematchOptions): Promise<MatchOutcome>;
  listReview(): Promise<ItemRecord[]>;
  /** Items waiting for a provider that was down; retried on their own once it answers. */
  listWaiting(): Promise<ItemRecord[]>;
  approve(itemId: string, candidateIndex?: number): Promise<MatchOutcome>;
  reject(itemId: string): Promise<void>;
  undo(itemId: string): Promise<UndoOutcome>;
  /** ABS's book libraries, for choosing what to backfill. */
  listLibraries(): Promise<LibrarySummary[]>;
  /** Starts a backfill in the background; one at a time (a BACKFILL_BUSY error while one runs). */
  startBackfill(request: BackfillRequest): Promise<{ id: string }>;
  /** The current or last backfill; null when none was started. */
  backfillStatus(): BackfillStatus | null;
  /** Asks the running backfill to stop (items already running finish); null when none ran. */
  stopBackfill(): BackfillStatus | null;
  /** Calls `listener` with the backfill's status as it progresses; returns the unsubscribe. */
  onBackfill(listener: (status: BackfillStatus) => void): () => void;
}
