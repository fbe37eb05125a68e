import { snapshotKey } from '../../abs/stored-form.js';
import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { DecisionOutcome } from '../../matching/decision.js';
import type { AbsItem } from '../ports.js';
import { type BridgeDecisionOutcome, recordAfter } from '../state/records.js';
import type { BridgeItemRecord, UnchangedMark } from '../state/state-store.js';
import {
  chaptersPending,
  nextRecheck,
  providerDownRecheck,
  type Recheck,
  type RecheckKind,
  recheckKind,
} from '../triggers/rechecks.js';
import type { ApplyOutcome } from './apply.js';
import { chaptersReplaceable } from './item-context.js';
import type { ChangePlan } from './plan.js';
import type { PipelineDeps } from './types.js';
import { absPrint, configDigest, filesPrint, reusableUntil, unchangedKey } from './unchanged.js';

/** Record: the item's state after a run, and the event that tells the rest of the process. */
export async function recordRun(
  deps: Pick<PipelineDeps, 'store' | 'events' | 'now'>,
  item: AbsItem,
  record: BridgeItemRecord | null,
  r: {
    result: AggregatedResult;
    decision: DecisionOutcome;
    plan: ChangePlan;
    applied: ApplyOutcome;
    approved: boolean;
    /** The item's library's bridge settings (re-check schedule, chapters policy). */
    bridge: Config['bridge'];
    /** The item's folder as this run saw it (null when not reachable). */
    folder: string | null;
    /** The config the result was shaped by (config.json with the page's settings over it). */
    shaping: Config;
  },
): Promise<void> {
  const saved = recordAfter(record, {
    item,
    result: r.result,
    decision: r.decision,
    previous: r.plan.previous,
    stored: r.applied.stored,
    changedFields: r.plan.changes.map((c) => c.field),
    changes: r.plan.changes,
    seen: snapshotKey(r.applied.media),
    ...(r.applied.sidecarFingerprints ? { sidecars: r.applied.sidecarFingerprints } : {}),
    approved: r.approved,
    notes: r.applied.notes,
    ...recheckAfter(deps, item, record, r),
  });
  const mark = await markAfter(item, saved, r);
  await deps.store.putItem(mark ? { ...saved, unchanged: mark } : saved);
  await emitOutcome(
    deps,
    item,
    r.result,
    r.decision,
    r.plan.changes.map((c) => c.field),
  );
}

/**
 * The inputs as this run leaves them (ABS's media after its writes, the folder after its
 * sidecars), so the next run over an unchanged item finds the same digest. None when the next run
 * must redo the work: an answer not cached, or a write that failed (a cover, a scan).
 */
async function markAfter(
  item: AbsItem,
  saved: BridgeItemRecord,
  r: { result: AggregatedResult; applied: ApplyOutcome; folder: string | null; shaping: Config },
): Promise<UnchangedMark | undefined> {
  const until = reusableUntil(r.result);
  if (until === undefined || r.applied.failed) return undefined;
  const media = r.applied.media;
  return {
    key: unchangedKey({
      config: configDigest(r.shaping, item.libraryId),
      abs: absPrint(item, media, Boolean(media.coverPath) || r.applied.coverSet),
      files: await filesPrint(item, r.folder),
      record: saved,
    }),
    until,
  };
}

/**
 * Records a book as waiting for a provider that was down: nothing decided, nothing written, and
 * a re-check scheduled so it is tried again once the provider answers.
 */
export async function recordWait(
  deps: Pick<PipelineDeps, 'store' | 'events' | 'now'>,
  item: AbsItem,
  record: BridgeItemRecord | null,
  result: AggregatedResult,
  decision: BridgeDecisionOutcome,
  waitRetrySeconds: number,
): Promise<void> {
  await deps.store.putItem(
    recordAfter(record, {
      item,
      result,
      decision,
      previous: {},
      stored: {},
      changedFields: [],
      seen: record?.seen ?? snapshotKey(item.media),
      approved: false,
      notes: [],
      recheck: providerDownRecheck(record?.recheck, deps.now?.() ?? Date.now(), waitRetrySeconds),
    }),
  );
  const title = item.media.metadata.title ?? undefined;
  await deps.events.emit('item.waiting', {
    itemId: item.id,
    ...(title ? { title } : {}),
    reason: decision.reason,
  });
}

/**
 * Not applied: when to look again. Applied: only while the chapters are not published yet
 * (rechecks.ts); an apply with nothing pending ends the schedule.
 */
function recheckAfter(
  deps: Pick<PipelineDeps, 'now'>,
  item: AbsItem,
  record: BridgeItemRecord | null,
  r: { decision: DecisionOutcome; result: AggregatedResult; applied: ApplyOutcome; bridge: Config['bridge'] },
): { recheck?: Recheck } {
  const now = deps.now?.() ?? Date.now();
  let kind: RecheckKind | undefined;
  if (r.decision.decision !== 'apply') kind = recheckKind(r.decision, r.result);
  else if (
    chaptersPending(r.result, {
      now,
      hasOwnChapters: !chaptersReplaceable(item),
      chaptersWritten: r.applied.chaptersWritten,
      mayWriteChapters: r.bridge.writeChapters && r.bridge.fieldPolicy.chapters !== 'locked',
    })
  )
    kind = 'chapters-pending';
  const next = kind ? nextRecheck(record?.recheck, kind, now, r.bridge.recheckHours) : undefined;
  return next ? { recheck: next } : {};
}

async function emitOutcome(
  deps: Pick<PipelineDeps, 'events'>,
  item: AbsItem,
  result: AggregatedResult,
  decision: DecisionOutcome,
  changedFields: string[],
): Promise<void> {
  const title = item.media.metadata.title ?? undefined;
  const common = { itemId: item.id, ...(title ? { title } : {}), confidence: result.confidence };
  if (decision.decision === 'apply') await deps.events.emit('item.applied', { ...common, changedFields });
  else if (decision.decision === 'review')
    await deps.events.emit('item.review', { ...common, reason: decision.reason });
  else await deps.events.emit('item.rejected', { ...common, reason: decision.reason });
}
