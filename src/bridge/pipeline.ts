import { type AbsValues, absValuesOf, snapshotKey, type WritableField } from '../abs/stored-form.js';
import type { Runtime } from '../app/runtime.js';
import type { Config } from '../config/schema.js';
import type { AggregatedResult } from '../domain/aggregated.js';
import type { LookupContext } from '../domain/lookup.js';
import type { PartialMetadata } from '../domain/metadata.js';
import { InvalidRequestError, ItemNotFoundError, NotInReviewError, UnknownItemError } from '../errors.js';
import type { ExporterRegistry } from '../exporters/registry.js';
import type { Logger } from '../logging.js';
import type { DecisionOutcome } from '../matching/decision.js';
import { type ApplyOutcome, applyToAbs } from './apply.js';
import { withGenreRules } from './genre-rules.js';
import {
  chaptersReplaceable,
  listFolder,
  lookupContextOf,
  ownSidecars,
  reachableFolder,
} from './item-context.js';
import { configForLibrary, lookupForLibrary } from './library-policy.js';
import type { LockManager } from './locks.js';
import { providersDown } from './outage.js';
import { planChanges } from './plan.js';
import type { AbsItem, BridgeAbs } from './ports.js';
import {
  chaptersPending,
  nextRecheck,
  providerDownRecheck,
  type Recheck,
  type RecheckKind,
  recheckKind,
} from './rechecks.js';
import { type BridgeDecisionOutcome, recordAfter } from './records.js';
import { type RuntimeSettings, withRuntimeSettings } from './runtime-settings.js';
import type { MatchHint, MatchOutcome } from './service-types.js';
import type { LibrarySpellings } from './spellings.js';
import type { BridgeItemRecord, StateStore } from './state-store.js';
import { askedByPerson, commandsIn, holdBook, policyFor, withoutActionTags } from './tag-commands.js';
import {
  absPrint,
  configDigest,
  filesPrint,
  reusableUntil,
  stillUnchanged,
  type UnchangedMark,
  unchangedKey,
} from './unchanged.js';

/** One pipeline run. `force` ignores "already processed"; `approve` applies whatever the decision. */
export interface ProcessRequest {
  itemId: string;
  reason: string;
  force?: boolean;
  refresh?: boolean;
  dryRun?: boolean;
  /** A person's title/author or ASIN for this match (src/bridge/service-types.ts MatchHint). */
  hint?: MatchHint;
  /** A person approved: apply the stored result (or one of its candidates). */
  approve?: { candidateIndex?: number };
  /** When the request was queued (ms): a record processed after it means the work is done. */
  queuedAt?: number;
}

export interface PipelineDeps {
  runtime: Runtime;
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

const LOCK_TTL_MS = 120_000;

/**
 * GET item → lookup context → aggregate → decide → plan (field policy) → apply → save state.
 * Holds the item's lock throughout, so two bridges never process one item at once.
 */
export async function processItem(deps: PipelineDeps, req: ProcessRequest): Promise<MatchOutcome> {
  const lease = req.dryRun ? null : await deps.locks.acquire(`item:${req.itemId}`, LOCK_TTL_MS);
  if (!req.dryRun && !lease) return skippedOutcome(req, 'locked by another instance');
  try {
    const record = await deps.store.getItem(req.itemId);
    if (!req.force && record?.processedAt && req.queuedAt && record.processedAt >= req.queuedAt)
      return skippedOutcome(req, 'already processed', record);
    const item = await deps.abs.getItem(req.itemId, { expanded: true });
    if (!item) throw new ItemNotFoundError(req.itemId);
    // Another instance may have finished the item between this job's trigger and its lock: ABS
    // now holds exactly what that run saw, so there is nothing new to match.
    if (!req.force && record?.seen !== undefined && snapshotKey(item.media) === record.seen)
      return skippedOutcome(req, 'already up to date', record);
    if (item.mediaType !== 'book') return skippedOutcome(req, `not a book (${item.mediaType})`, record);
    if (item.isMissing) return skippedOutcome(req, 'item folder is missing in ABS', record);
    const tags = item.media.tags ?? [];
    const { bridge } = deps.runtime.config;
    if (record?.skip && !askedByPerson(req, tags, bridge) && commandsIn(tags, bridge).size === 0)
      return skippedOutcome(
        req,
        `a person asked to leave this book alone (${bridge.tagCommands.skip})`,
        record,
      );
    if (await unchangedSince(deps, req, item, record))
      return {
        ...skippedOutcome(req, 'nothing changed since the last run', record),
        chaptersWritten: false,
        coverSet: false,
      };
    return await run(deps, req, item, record);
  } finally {
    await lease?.release();
  }
}

/**
 * The item, its files, the config and the record are as the last run left them and the provider
 * answers it used are still cached: the full pipeline would reach the same result and change
 * nothing (unchanged.ts). A person's hint, an approval, a refresh or a dry run always runs.
 */
async function unchangedSince(
  deps: PipelineDeps,
  req: ProcessRequest,
  item: AbsItem,
  record: BridgeItemRecord | null,
): Promise<boolean> {
  if (!record?.unchanged || req.dryRun || req.hint || req.approve || req.refresh) return false;
  const now = deps.now?.() ?? Date.now();
  if (now >= record.unchanged.until) return false;
  const config = configForLibrary(deps.runtime.config, item.libraryId);
  const folder = await reachableFolder(item, config.pathMappings);
  const key = unchangedKey({
    config: configDigest(deps.runtime.config, item.libraryId),
    abs: absPrint(item, item.media),
    files: await filesPrint(item, folder),
    record,
  });
  return stillUnchanged(record, key, now);
}

async function run(
  deps: PipelineDeps,
  req: ProcessRequest,
  item: AbsItem,
  record: BridgeItemRecord | null,
): Promise<MatchOutcome> {
  const config = configForLibrary(withRuntimeSettings(deps.runtime.config, deps.settings), item.libraryId);
  const folder = await reachableFolder(item, config.pathMappings);
  if (!folder)
    deps.logger.warn(
      { itemId: item.id, path: item.path },
      'item folder not reachable: local sources and sidecars skipped',
    );
  const current = absValuesOf(item.media);
  const commands = commandsIn(item.media.tags ?? [], config.bridge);
  if (!req.dryRun && commands.has('skip')) return holdBook(deps, item, record, 'skip', current);
  if (!req.dryRun && commands.has('lock')) return holdBook(deps, item, record, 'lock', current);
  const result = req.approve
    ? storedResult(record, req.itemId)
    : await aggregate(deps, item, folder, current, req, record, config.bridge);
  const down = req.approve ? [] : providersDown(result, config.bridge.waitForProviders);
  if (down.length > 0) return wait(deps, req, item, record, result, down, config.bridge.waitRetrySeconds);
  const decided: DecisionOutcome = req.approve
    ? { decision: 'apply', reason: 'approved by a person' }
    : deps.runtime.decideOn(result);
  const decision: DecisionOutcome =
    commands.has('review') && decided.decision !== 'reject'
      ? {
          decision: 'review',
          reason: `a person asked to review this book (${config.bridge.tagCommands.review})`,
        }
      : decided;
  const chosen = req.approve ? desiredFromApproval(result, req.approve.candidateIndex) : result.metadata;
  // Names in the library's own spelling, so a match never adds a second "J.R.R. Tolkien".
  const respelt =
    decision.decision === 'apply' && deps.spellings
      ? await deps.spellings.respell(item.libraryId, chosen)
      : { metadata: chosen, notes: [] };
  const ruled =
    decision.decision === 'apply'
      ? withGenreRules(
          respelt.metadata,
          { genres: current.genres as string[], tags: current.tags as string[] },
          { genres: config.genres, bridge: policyFor(choiceOverwrites(config.bridge, req), record) },
        )
      : { desired: respelt.metadata, bridge: config.bridge, notes: [] };
  const desired = ruled.desired;
  const plan =
    decision.decision === 'apply'
      ? planChanges({
          current,
          desired,
          result,
          ...(record?.pushed ? { pushed: record.pushed } : {}),
          policy: ruled.bridge,
        })
      : { changes: [], kept: [], previous: {}, next: {} };
  const values: AbsValues = { ...plan.next };
  const tags = (values.tags ?? current.tags) as string[];
  // Action tags (re-match, review) are removed in the same PATCH, whatever the decision.
  const kept = withoutActionTags(tags, config.bridge);
  if (kept.length !== tags.length) values.tags = kept;
  const base = {
    itemId: item.id,
    decision: decision.decision,
    confidence: result.confidence,
    reason: decision.reason,
    changes: plan.changes,
    kept: plan.kept,
    dryRun: Boolean(req.dryRun),
  };
  if (req.dryRun) return { ...base, applied: false, sidecars: [] };
  const applied = await applyToAbs(
    {
      abs: deps.abs,
      config,
      logger: deps.logger,
      events: deps.runtime.events,
      ...(deps.exporters ? { exporters: deps.exporters } : {}),
      onPushed: deps.onPushed,
    },
    {
      item,
      values,
      full: decision.decision === 'apply',
      result,
      folder,
      ...(record?.sidecars ? { knownSidecars: record.sidecars } : {}),
    },
  );
  if (decision.decision === 'apply') await deps.spellings?.learn(item.libraryId, desired);
  applied.notes.unshift(...respelt.notes, ...ruled.notes);
  await save(deps, item, record, {
    result,
    decision,
    plan,
    applied,
    approved: Boolean(req.approve),
    bridge: config.bridge,
    folder,
  });
  await emitOutcome(
    deps,
    item,
    result,
    decision,
    plan.changes.map((c) => c.field),
  );
  return {
    ...base,
    applied: decision.decision === 'apply',
    sidecars: applied.sidecars,
    chaptersWritten: applied.chaptersWritten,
    coverSet: applied.coverSet,
  };
}

/**
 * A provider the decision depends on was down: decide nothing, write nothing to ABS (the trigger
 * tag stays too, so it still asks for a re-match), and record the item as waiting so it is tried
 * again once the provider answers.
 */
async function wait(
  deps: PipelineDeps,
  req: ProcessRequest,
  item: AbsItem,
  record: BridgeItemRecord | null,
  result: AggregatedResult,
  down: string[],
  waitRetrySeconds: number,
): Promise<MatchOutcome> {
  const decision: BridgeDecisionOutcome = { decision: 'wait', reason: `waiting for ${down.join(', ')}` };
  const outcome: MatchOutcome = {
    itemId: item.id,
    decision: 'wait',
    confidence: result.confidence,
    reason: decision.reason,
    changes: [],
    applied: false,
    dryRun: Boolean(req.dryRun),
    sidecars: [],
  };
  if (req.dryRun) return outcome;
  deps.logger.warn(
    { itemId: item.id, down },
    'provider down: item left waiting, not matched on lesser evidence',
  );
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
  await deps.runtime.events.emit('item.waiting', {
    itemId: item.id,
    ...(title ? { title } : {}),
    reason: decision.reason,
  });
  return outcome;
}

async function aggregate(
  deps: PipelineDeps,
  item: AbsItem,
  folder: string | null,
  current: ReturnType<typeof absValuesOf>,
  req: ProcessRequest,
  record: BridgeItemRecord | null,
  /** The item's library's bridge settings (library-policy.ts). */
  bridge: Config['bridge'],
): Promise<AggregatedResult> {
  const locked: Record<string, unknown> = {};
  for (const [field, policy] of Object.entries(bridge.fieldPolicy)) {
    const value = current[field as WritableField];
    if (policy === 'locked' && value !== undefined && value !== null) locked[field] = value;
  }
  const evidence = folder
    ? { record, folderFiles: await listFolder(folder), ownFiles: await ownSidecars(record?.sidecars) }
    : { record };
  // A library may name its own network providers and marketplace region (library-policy.ts).
  const lookup = lookupForLibrary(deps.runtime.config, item.libraryId);
  const ctx = withHint(lookupContextOf(item, folder, evidence), req.hint);
  const { aggregator } = deps.runtime;
  const only = lookup.networkProviders
    ? [...aggregator.providers.filter((p) => p.kind === 'local').map((p) => p.id), ...lookup.networkProviders]
    : undefined;
  return aggregator.aggregate(lookup.region ? { ...ctx, region: lookup.region } : ctx, {
    locked: locked as PartialMetadata,
    ...(req.refresh ? { refresh: true } : {}),
    ...(only ? { only } : {}),
  });
}

/** The context with a person's title/author or ASIN in place of ABS's. */
function withHint(ctx: LookupContext, hint: MatchHint | undefined): LookupContext {
  if (!hint) return ctx;
  return {
    ...ctx,
    ...(hint.title ? { title: hint.title, subtitle: undefined } : {}),
    ...(hint.author ? { authors: [hint.author] } : {}),
    ...(hint.asin ? { asin: hint.asin, isbn: undefined } : {}),
  };
}

/** What a person approves: the match of a book in review (checked under the item's lock). */
function storedResult(record: BridgeItemRecord | null, itemId: string): AggregatedResult {
  if (!record) throw new UnknownItemError(itemId);
  if (record.decision !== 'review' || !record.result) throw new NotInReviewError(itemId, record.decision);
  return record.result;
}

function desiredFromApproval(result: AggregatedResult, index: number | undefined): PartialMetadata {
  if (index === undefined) return result.metadata;
  const candidate = result.candidates[index];
  if (!candidate)
    throw new InvalidRequestError('approval', [
      `candidate ${index} does not exist (have ${result.candidates.length})`,
    ]);
  if (!candidate.fields)
    throw new InvalidRequestError('approval', [`candidate ${index} carries no metadata to apply`]);
  return candidate.fields;
}

async function save(
  deps: PipelineDeps,
  item: AbsItem,
  record: BridgeItemRecord | null,
  r: {
    result: AggregatedResult;
    decision: DecisionOutcome;
    plan: ReturnType<typeof planChanges>;
    applied: ApplyOutcome;
    approved: boolean;
    /** The item's library's bridge settings (re-check schedule, chapters policy). */
    bridge: Config['bridge'];
    folder: string | null;
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
  const mark = await markAfter(deps, item, saved, r);
  await deps.store.putItem(mark ? { ...saved, unchanged: mark } : saved);
}

/**
 * The inputs as this run leaves them (ABS's media after its writes, the folder after its
 * sidecars), so the next run over an unchanged item finds the same digest. None when the next run
 * must redo the work: an answer not cached, or a write that failed (a cover, a scan).
 */
async function markAfter(
  deps: PipelineDeps,
  item: AbsItem,
  saved: BridgeItemRecord,
  r: { result: AggregatedResult; applied: ApplyOutcome; folder: string | null },
): Promise<UnchangedMark | undefined> {
  const until = reusableUntil(r.result);
  if (until === undefined || r.applied.failed) return undefined;
  const media = r.applied.media;
  return {
    key: unchangedKey({
      config: configDigest(deps.runtime.config, item.libraryId),
      abs: absPrint(item, media, Boolean(media.coverPath) || r.applied.coverSet),
      files: await filesPrint(item, r.folder),
      record: saved,
    }),
    until,
  };
}

/**
 * Not applied: when to look again. Applied: only while the chapters are not published yet
 * (rechecks.ts); an apply with nothing pending ends the schedule.
 */
function recheckAfter(
  deps: PipelineDeps,
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
  deps: PipelineDeps,
  item: AbsItem,
  result: AggregatedResult,
  decision: DecisionOutcome,
  changedFields: string[],
): Promise<void> {
  const title = item.media.metadata.title ?? undefined;
  const common = { itemId: item.id, ...(title ? { title } : {}), confidence: result.confidence };
  if (decision.decision === 'apply')
    await deps.runtime.events.emit('item.applied', { ...common, changedFields });
  else if (decision.decision === 'review')
    await deps.runtime.events.emit('item.review', { ...common, reason: decision.reason });
  else await deps.runtime.events.emit('item.rejected', { ...common, reason: decision.reason });
}

function skippedOutcome(req: ProcessRequest, reason: string, record?: BridgeItemRecord | null): MatchOutcome {
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

/**
 * A person who picked the book (a candidate from review, or a title/author/ASIN of their own) meant
 * that book: its values replace what is there, where fill-empty would keep them. Locked fields and
 * a person's own edits are still kept.
 */
function choiceOverwrites(bridge: Config['bridge'], req: ProcessRequest): Config['bridge'] {
  const chose = req.hint !== undefined || req.approve?.candidateIndex !== undefined;
  return chose ? { ...bridge, defaultPolicy: 'overwrite' } : bridge;
}
