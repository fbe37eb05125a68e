import { type AbsValues, WRITABLE_FIELDS, type WritableField } from '../../abs/stored-form.js';
import type { AbsItem } from '../ports.js';
import type { MatchOutcome } from '../service/types.js';
import { withHistory } from '../state/records.js';
import type { BridgeItemRecord } from '../state/state-store.js';
import { withoutActionTags } from '../triggers/tag-commands.js';
import { applyToAbs } from './apply.js';
import type { PipelineDeps } from './types.js';

/**
 * `bridge:skip` and `bridge:lock`: no matching at all. Removes the tags in one PATCH and records
 * the command (skip → the book is left alone; lock → every field that has a value is locked).
 */
export async function holdBook(
  deps: PipelineDeps,
  item: AbsItem,
  record: BridgeItemRecord | null,
  command: 'skip' | 'lock',
  current: Record<WritableField, unknown>,
): Promise<MatchOutcome> {
  const { bridge } = deps.config;
  const values: AbsValues = { tags: withoutActionTags(item.media.tags ?? [], bridge) };
  await applyToAbs(
    {
      abs: deps.abs,
      config: deps.config,
      logger: deps.logger,
      events: deps.events,
      onPushed: deps.onPushed,
    },
    { item, values, full: false, folder: null },
  );
  const now = new Date();
  const lockedFields = WRITABLE_FIELDS.filter((f) => f !== 'tags' && hasSomething(current[f]));
  const note =
    command === 'skip'
      ? `${bridge.tagCommands.skip}: the bridge leaves this book alone until a person re-matches it`
      : `${bridge.tagCommands.lock}: locked ${lockedFields.join(', ')}`;
  const base: BridgeItemRecord = {
    ...(record ?? { itemId: item.id, libraryId: item.libraryId, history: [] }),
    updatedAt: now.toISOString(),
    processedAt: now.getTime(),
    ...(command === 'skip' ? { skip: true } : { lockedFields }),
  };
  await deps.store.putItem(withHistory(base, { at: now.toISOString(), action: 'skipped', note }));
  return {
    itemId: item.id,
    decision: record?.decision ?? 'reject',
    confidence: record?.confidence ?? 0,
    reason: note,
    changes: [],
    applied: false,
    dryRun: false,
    sidecars: [],
    skipped: note,
  };
}

function hasSomething(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  return !(Array.isArray(v) && v.length === 0) && v !== '';
}
