import { absValuesOf, snapshotKey } from '../../abs/stored-form.js';
import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import { ItemNotFoundError } from '../../errors.js';
import type { AbsItem } from '../ports.js';
import type { MatchOutcome } from '../service/types.js';
import type { BridgeDecisionOutcome } from '../state/records.js';
import { withRuntimeSettings } from '../state/runtime-settings.js';
import type { BridgeItemRecord } from '../state/state-store.js';
import { askedByPerson, commandsIn } from '../triggers/tag-commands.js';
import { applyToAbs } from './apply.js';
import { decideOn, storedResult } from './decide.js';
import { planWrite } from './desired.js';
import { holdBook } from './hold.js';
import { reachableFolder } from './item-context.js';
import { configForLibrary } from './library-policy.js';
import { lookupItem } from './lookup.js';
import { providersDown } from './outage.js';
import { recordRun, recordWait } from './record.js';
import { type PipelineDeps, type ProcessRequest, skippedOutcome } from './types.js';
import { absPrint, configDigest, filesPrint, stillUnchanged, unchangedKey } from './unchanged.js';

export type { PipelineDeps, ProcessRequest } from './types.js';

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
    const { bridge } = deps.config;
    if (record?.skip && !askedByPerson(req, tags, bridge) && commandsIn(tags, bridge).size === 0)
      return skippedOutcome(
        req,
        `a person asked to leave this book alone (${bridge.tagCommands.skip})`,
        record,
      );
    // The config as this item sees it (the page's settings over config.json, then its library's
    // policy) and its folder, worked out once for the unchanged check and the run.
    const shaping = withRuntimeSettings(deps.config, deps.settings);
    const config = configForLibrary(shaping, item.libraryId);
    const at: ItemSetting = { shaping, config, folder: await reachableFolder(item, config.pathMappings) };
    if (await unchangedSince(deps, req, item, record, at))
      return {
        ...skippedOutcome(req, 'nothing changed since the last run', record),
        chaptersWritten: false,
        coverSet: false,
      };
    return await run(deps, req, item, record, at);
  } finally {
    await lease?.release();
  }
}

/** The config as one item sees it, and its folder on this machine (null: not reachable). */
interface ItemSetting {
  /** config.json with the page's settings over it: what shapes a result (the unchanged digest). */
  shaping: Config;
  /** `shaping` with the item's library policy applied. */
  config: Config;
  folder: string | null;
}

/**
 * The item, its files, the config and the record are as the last run left them and the provider
 * answers it used are still cached: the full pipeline would reach the same result and change
 * nothing (unchanged.ts). A person's re-match, hint or approval, a refresh or a dry run always runs.
 */
async function unchangedSince(
  deps: PipelineDeps,
  req: ProcessRequest,
  item: AbsItem,
  record: BridgeItemRecord | null,
  at: ItemSetting,
): Promise<boolean> {
  if (!record?.unchanged || req.dryRun || req.hint || req.approve || req.refresh) return false;
  // A person who asks for a re-match (CLI, page, the re-match tag) gets one, not a memory of the last.
  if (askedByPerson(req, item.media.tags ?? [], deps.config.bridge)) return false;
  const now = deps.now?.() ?? Date.now();
  if (now >= record.unchanged.until) return false;
  // The answers that run used are gone (`cache clear`, `cache invalidate`): ask again.
  const cleared = (await deps.matcher.cacheClearedAt?.()) ?? 0;
  if (cleared > 0 && (record.processedAt ?? 0) <= cleared) return false;
  const key = unchangedKey({
    config: configDigest(at.shaping, item.libraryId),
    abs: absPrint(item, item.media),
    files: await filesPrint(item, at.folder),
    record,
  });
  return stillUnchanged(record, key, now);
}

async function run(
  deps: PipelineDeps,
  req: ProcessRequest,
  item: AbsItem,
  record: BridgeItemRecord | null,
  { shaping, config, folder }: ItemSetting,
): Promise<MatchOutcome> {
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
    : await lookupItem(deps, item, folder, current, req, record, config.bridge);
  const down = req.approve ? [] : providersDown(result, config.bridge.waitForProviders);
  if (down.length > 0) return wait(deps, req, item, record, result, down, config.bridge.waitRetrySeconds);
  const decision = decideOn(deps, req, result, commands, config.bridge);
  const { plan, values, desired, notes } = await planWrite(deps, {
    req,
    item,
    record,
    result,
    decision,
    current,
    config,
  });
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
      events: deps.events,
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
  applied.notes.unshift(...notes);
  await recordRun(deps, item, record, {
    result,
    decision,
    plan,
    applied,
    approved: Boolean(req.approve),
    bridge: config.bridge,
    folder,
    shaping,
  });
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
  await recordWait(deps, item, record, result, decision, waitRetrySeconds);
  return outcome;
}
