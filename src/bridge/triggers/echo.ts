import { snapshotKey } from '../../abs/stored-form.js';
import type { AbsItem } from '../ports.js';
import type { BridgeItemRecord } from '../state/state-store.js';

/**
 * What an `item_updated` means for the bridge (ABS-API.md §7.4–7.6):
 * - `trigger`: a person added the re-match tag or a tag command → handle it (forced);
 * - `new`: the bridge never processed this item → process it;
 * - `echo`: metadata+tags equal what the bridge last wrote or saw (its own PATCH coming back,
 *   the ~12 s watcher echo of a new sidecar, a file-only change) → drop;
 * - `missing`: the folder vanished (`isMissing`) → drop;
 * - `edited`: a real change the bridge did not cause (a person's edit) → no work; the next match
 *   keeps it (plan.ts compares with what the bridge pushed).
 */
export type UpdateKind = 'trigger' | 'new' | 'echo' | 'missing' | 'edited';

export function classifyUpdate(
  item: AbsItem,
  record: BridgeItemRecord | null,
  /** The re-match tag, or every action tag (re-match and the tag commands). */
  actionTags: string | readonly string[],
  recentPush?: string,
): UpdateKind {
  if (item.isMissing) return 'missing';
  const asks = typeof actionTags === 'string' ? [actionTags] : actionTags;
  if ((item.media.tags ?? []).some((t) => asks.includes(t))) return 'trigger';
  const snapshot = snapshotKey(item.media);
  if (snapshot === recentPush || (record?.seen !== undefined && snapshot === record.seen)) return 'echo';
  if (!record) return 'new';
  return 'edited';
}

/**
 * Snapshots of the bridge's own latest writes, kept in memory for a while: the PATCH echo can
 * arrive before the item's record is saved.
 */
export class PushMemory {
  readonly #pushes = new Map<string, { snapshot: string; at: number }>();
  readonly #ttlMs: number;

  constructor(ttlMs = 60_000) {
    this.#ttlMs = ttlMs;
  }

  remember(itemId: string, snapshot: string): void {
    this.#pushes.set(itemId, { snapshot, at: Date.now() });
    if (this.#pushes.size > 10_000) this.#prune();
  }

  get(itemId: string): string | undefined {
    const entry = this.#pushes.get(itemId);
    if (!entry) return undefined;
    if (Date.now() - entry.at > this.#ttlMs) {
      this.#pushes.delete(itemId);
      return undefined;
    }
    return entry.snapshot;
  }

  #prune(): void {
    const cutoff = Date.now() - this.#ttlMs;
    for (const [id, e] of this.#pushes) if (e.at < cutoff) this.#pushes.delete(id);
  }
}
