import type { AbsValues } from '../../abs/stored-form.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import type { SidecarFingerprints } from '../../exporters/sidecars.js';
import type { DecisionOutcome } from '../../matching/decision.js';
import type { AbsItem } from '../ports.js';
import type { BridgeDecision, FieldChange, HistoryEntry } from '../service/types.js';
import type { Recheck } from '../triggers/rechecks.js';
import type { BridgeItemRecord } from './state-store.js';

const HISTORY_LIMIT = 50;

/** The matcher's outcome, or a wait for a provider that was down. */
export type BridgeDecisionOutcome = Omit<DecisionOutcome, 'decision'> & { decision: BridgeDecision };

export interface RecordUpdate {
  item: AbsItem;
  result: AggregatedResult;
  decision: BridgeDecisionOutcome;
  /** ABS values before this write (for undo). */
  previous: AbsValues;
  /** What ABS stored for the fields sent. */
  stored: AbsValues;
  changedFields: string[];
  /** The per-field diff written (old → new, provider). */
  changes?: FieldChange[];
  seen: string;
  /** Sidecar fingerprints after this run (absent: no sidecar step ran, keep the last ones). */
  sidecars?: SidecarFingerprints;
  approved: boolean;
  notes: string[];
  /** The next re-check when the book was not applied (absent: none). */
  recheck?: Recheck;
}

/** Appends to a record's history, keeping the newest entries. */
export function withHistory(record: BridgeItemRecord, entry: HistoryEntry): BridgeItemRecord {
  return { ...record, history: [...record.history, entry].slice(-HISTORY_LIMIT) };
}

/**
 * The item record after one pipeline run. `overwritten` keeps the OLDEST value per field (undo
 * restores what was there before the bridge first touched it); `pushed` the newest.
 */
export function recordAfter(prev: BridgeItemRecord | null, u: RecordUpdate): BridgeItemRecord {
  const now = new Date();
  const overwritten: AbsValues = { ...u.previous, ...(prev?.overwritten ?? {}) };
  const pushed: AbsValues = { ...(prev?.pushed ?? {}), ...u.stored };
  // A trigger-tag removal alone is not a value the bridge owns.
  if (!u.changedFields.includes('tags')) {
    delete overwritten.tags;
    if (!prev?.pushed?.tags) delete pushed.tags;
  }
  const title = u.item.media.metadata.title ?? undefined;
  const sidecars = u.sidecars ?? prev?.sidecars;
  const base: BridgeItemRecord = {
    itemId: u.item.id,
    libraryId: u.item.libraryId,
    ...(title ? { title } : {}),
    decision: u.decision.decision,
    confidence: u.result.confidence,
    reason: u.decision.reason,
    updatedAt: now.toISOString(),
    result: u.result,
    lastPushed: pushed as PartialMetadata,
    previous: overwritten as PartialMetadata,
    pushed,
    overwritten,
    seen: u.seen,
    ...(sidecars ? { sidecars } : {}),
    ...(prev?.lockedFields ? { lockedFields: prev.lockedFields } : {}),
    ...(u.recheck ? { recheck: u.recheck } : {}),
    processedAt: now.getTime(),
    history: prev?.history ?? [],
  };
  const action = u.approved ? 'approved' : actionOf(u.decision.decision);
  return withHistory(base, {
    at: now.toISOString(),
    action,
    changedFields: u.changedFields,
    ...(u.changes?.length ? { changes: u.changes.map(shortened) } : {}),
    confidence: u.result.confidence,
    ...(u.notes.length > 0 ? { note: u.notes.join('; ') } : {}),
  });
}

/** History keeps the diff readable and the record small: long values (descriptions) are cut. */
function shortened(change: FieldChange): FieldChange {
  const cut = (v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 299)}…` : v);
  return { ...change, old: cut(change.old), new: cut(change.new) };
}

const ACTIONS: Record<BridgeDecision, HistoryEntry['action']> = {
  apply: 'applied',
  review: 'review',
  reject: 'rejected',
  wait: 'waiting',
};

function actionOf(decision: BridgeDecision): HistoryEntry['action'] {
  return ACTIONS[decision];
}
