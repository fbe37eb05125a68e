import type { AbsValues, WritableField } from '../../abs/stored-form.js';
import {
  absValuesOf,
  buildPatchBody,
  isEmptyPatch,
  sameAbsValue,
  snapshotKey,
} from '../../abs/stored-form.js';
import { ConflictError, ItemNotFoundError, NothingToUndoError, UnknownItemError } from '../../errors.js';
import type { BridgeAbs } from '../ports.js';
import type { UndoOutcome } from '../service/types.js';
import type { LockManager } from './locks.js';
import { withHistory } from './records.js';
import type { StateStore } from './state-store.js';

export interface UndoDeps {
  abs: BridgeAbs;
  store: StateStore;
  locks: LockManager;
  onPushed(itemId: string, snapshot: string): void;
}

/**
 * Restores the values the bridge overwrote. A field whose ABS value is no longer what the bridge
 * pushed was changed by a person since, and is left alone (reported in `keptFields`).
 */
export async function undoItem(
  deps: UndoDeps,
  itemId: string,
): Promise<UndoOutcome & { keptFields: string[] }> {
  const lease = await deps.locks.acquire(`item:${itemId}`, 60_000);
  if (!lease) throw new ConflictError('ITEM_BUSY', `item ${itemId} is being processed; try again`);
  try {
    const record = await deps.store.getItem(itemId);
    if (!record) throw new UnknownItemError(itemId);
    const overwritten = record.overwritten ?? {};
    if (Object.keys(overwritten).length === 0) throw new NothingToUndoError(itemId);
    const item = await deps.abs.getItem(itemId, { expanded: true });
    if (!item) throw new ItemNotFoundError(itemId);
    const current = absValuesOf(item.media);
    const restore: AbsValues = {};
    const kept: string[] = [];
    for (const [field, old] of Object.entries(overwritten) as [WritableField, AbsValues[WritableField]][]) {
      const pushed = record.pushed?.[field];
      if (pushed !== undefined && !sameAbsValue(field, current[field], pushed)) kept.push(field);
      else restore[field] = old ?? (field === 'explicit' || field === 'abridged' ? false : emptyOf(field));
    }
    const body = buildPatchBody(restore);
    let seen = record.seen;
    if (!isEmptyPatch(body)) {
      const res = await deps.abs.patchMedia(itemId, body);
      seen = snapshotKey({ ...item.media, ...res.libraryItem.media });
      deps.onPushed(itemId, seen);
    }
    const pushed = { ...record.pushed };
    for (const f of Object.keys(restore) as WritableField[]) delete pushed[f];
    const next = withHistory(
      {
        ...record,
        pushed,
        overwritten: {},
        previous: {},
        lastPushed: pushed as typeof record.lastPushed,
        ...(seen ? { seen } : {}),
        updatedAt: new Date().toISOString(),
      },
      {
        at: new Date().toISOString(),
        action: 'undone',
        changedFields: Object.keys(restore),
        ...(kept.length ? { note: `kept (edited since): ${kept.join(', ')}` } : {}),
      },
    );
    await deps.store.putItem(next);
    return { itemId, restoredFields: Object.keys(restore), keptFields: kept };
  } finally {
    await lease.release();
  }
}

function emptyOf(field: WritableField): AbsValues[WritableField] {
  return ['authors', 'series', 'narrators', 'genres', 'tags'].includes(field) ? [] : null;
}
