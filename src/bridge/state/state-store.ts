import path from 'node:path';
import type { Keyv } from 'keyv';
import type { AbsValues } from '../../abs/stored-form.js';
import { openKeyValueStore } from '../../cache/open-store.js';
import type { Config } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import type { SidecarFingerprints } from '../../exporters/sidecars.js';
import type { ItemRecord } from '../service/types.js';
import type { Recheck } from '../triggers/rechecks.js';

/** What the bridge keeps per item, beyond the service contract's ItemRecord. */
export interface BridgeItemRecord extends ItemRecord {
  /** What the bridge last wrote, per field, in ABS form: a differing ABS value is a person's edit. */
  pushed?: AbsValues;
  /** ABS values the bridge overwrote (null = was empty), for undo. */
  overwritten?: AbsValues;
  /** snapshotKey of the last media the bridge wrote or saw: equal payloads are echoes. */
  seen?: string;
  /** When the pipeline last finished for this item (ms). */
  processedAt?: number;
  /** The sidecars as the last run left them, to skip unchanged ones without reading them. */
  sidecars?: SidecarFingerprints;
  /** `bridge:skip`: a person asked the bridge to leave this book alone. */
  skip?: boolean;
  /** `bridge:lock`: fields no later match may change. */
  lockedFields?: string[];
  /** Not applied: why, and when it is matched again (rechecks.ts). */
  recheck?: Recheck;
  /** The last run's inputs and how long its provider answers stay reusable (unchanged.ts). */
  unchanged?: UnchangedMark;
}

/** "Nothing changed since the last run" (unchanged.ts), stored in the item's record by a finished run. */
export interface UnchangedMark {
  /** Digest of the run's inputs as the run left them (after its own writes). */
  key: string;
  /** Earliest expiry of the cached provider answers the run used (ms since the epoch). */
  until: number;
}

/** Backfill progress of one library and mode. */
export interface BackfillProgress {
  /** `<libraryId>:<mode>`. */
  key: string;
  /** Items finished in this run are marked under this id. */
  runId: string;
  startedAt: string;
  total: number;
  done: number;
  finishedAt?: string;
}

const RECENT_LIMIT = 1000;
const FLUSH_MS = 250;

/**
 * Persistent bridge state on a Keyv store: item records, the recent and review indexes,
 * catch-up checkpoints and backfill progress. With Redis every instance shares it.
 * Across processes the last index writer wins, which only affects the recent/review lists
 * (the records themselves are per key, and the review list is re-read before it is shown).
 */
/** Keys per bulk read (SQLite binds them as one JSON array). */
const BULK_READ = 500;

export class StateStore {
  /** A promise: the Redis adapter is imported only when Redis is configured. */
  readonly #kv: Promise<Keyv>;
  /** Index lists held here and written at most every FLUSH_MS: rewriting a 1,000-id list on
   * every item would dominate a backfill. Reads flush first, so they see this process's writes. */
  readonly #indexes = new Map<string, string[]>();
  readonly #dirty = new Set<string>();
  #flushTimer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(kv: Keyv | Promise<Keyv>) {
    this.#kv = Promise.resolve(kv);
  }

  async #get(key: string): Promise<unknown> {
    return (await this.#kv).get(key);
  }

  async #set(key: string, value: unknown): Promise<void> {
    await (await this.#kv).set(key, value);
  }

  async getItem(itemId: string): Promise<BridgeItemRecord | null> {
    return ((await this.#get(`item:${itemId}`)) as BridgeItemRecord | undefined) ?? null;
  }

  async putItem(record: BridgeItemRecord): Promise<void> {
    await this.#set(`item:${record.itemId}`, record);
    const id = record.itemId;
    await this.#updateIndex('recent', (ids) => moveToFront(ids, id, RECENT_LIMIT));
    for (const [index, listed] of [
      ['review', record.decision === 'review'],
      ['waiting', record.decision === 'wait'],
      ['recheck', record.recheck !== undefined],
    ] as const) {
      await this.#updateIndex(index, (ids) => {
        if (ids.includes(id) === listed) return ids;
        return listed ? [id, ...ids] : ids.filter((x) => x !== id);
      });
    }
  }

  async recent(limit: number): Promise<BridgeItemRecord[]> {
    return this.#records((await this.#freshIndex('recent')).slice(0, limit));
  }

  async review(): Promise<BridgeItemRecord[]> {
    return this.#records(await this.#freshIndex('review'));
  }

  /** Items with a re-check scheduled (not applied, not rejected by a person). */
  async rechecks(): Promise<BridgeItemRecord[]> {
    return this.#records(await this.#freshIndex('recheck'));
  }

  /** Items waiting for a provider that was down (decision `wait`), newest first. */
  async waiting(): Promise<BridgeItemRecord[]> {
    return this.#records(await this.#freshIndex('waiting'));
  }

  async getCheckpoint(libraryId: string): Promise<number> {
    return ((await this.#get(`checkpoint:${libraryId}`)) as number | undefined) ?? 0;
  }

  async setCheckpoint(libraryId: string, updatedAt: number): Promise<void> {
    await this.#set(`checkpoint:${libraryId}`, updatedAt);
  }

  async getBackfill(key: string): Promise<BackfillProgress | null> {
    return ((await this.#get(`backfill:${key}`)) as BackfillProgress | undefined) ?? null;
  }

  async putBackfill(progress: BackfillProgress): Promise<void> {
    await this.#set(`backfill:${progress.key}`, progress);
  }

  /** Which of `itemIds` a backfill run already finished: one query per 500 ids, not one per item. */
  async backfilledAmong(key: string, itemIds: readonly string[]): Promise<Set<string>> {
    const done = new Set<string>();
    for (let i = 0; i < itemIds.length; i += BULK_READ) {
      const chunk = itemIds.slice(i, i + BULK_READ);
      const marks = await (await this.#kv).getMany(chunk.map((id) => `backfill:${key}:${id}`));
      chunk.forEach((id, j) => {
        if (marks[j] === 1) done.add(id);
      });
    }
    return done;
  }

  async markBackfilled(key: string, itemId: string): Promise<void> {
    await this.#set(`backfill:${key}:${itemId}`, 1);
  }

  async close(): Promise<void> {
    await this.#flush();
    await (await this.#kv).disconnect();
  }

  async #index(name: string): Promise<string[]> {
    const cached = this.#indexes.get(name);
    if (cached) return cached;
    const stored = ((await this.#get(`index:${name}`)) as string[] | undefined) ?? [];
    return this.#indexes.get(name) ?? stored;
  }

  /** Another instance may have written the index: drop our copy unless we have unsaved changes. */
  async #freshIndex(name: string): Promise<string[]> {
    await this.#flush();
    this.#indexes.delete(name);
    return this.#index(name);
  }

  async #updateIndex(name: string, update: (ids: string[]) => string[]): Promise<void> {
    const before = await this.#index(name);
    const after = update(this.#indexes.get(name) ?? before);
    if (after === before && this.#indexes.has(name)) return;
    this.#indexes.set(name, after);
    this.#dirty.add(name);
    this.#flushTimer ??= setTimeout(() => void this.#flush(), FLUSH_MS);
  }

  #flush(): Promise<void> {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const names = [...this.#dirty];
    this.#dirty.clear();
    this.#flushing = this.#flushing.then(async () => {
      for (const name of names) await this.#set(`index:${name}`, this.#indexes.get(name) ?? []);
    });
    return this.#flushing;
  }

  async #records(ids: string[]): Promise<BridgeItemRecord[]> {
    const records = await Promise.all(ids.map((id) => this.getItem(id)));
    return records.filter((r): r is BridgeItemRecord => r !== null);
  }
}

/** `ids` with `id` first, at most `limit` long; the same array when `id` already leads. */
function moveToFront(ids: string[], id: string, limit: number): string[] {
  if (ids[0] === id) return ids;
  const at = ids.indexOf(id);
  const next = [id, ...(at < 0 ? ids : ids.slice(0, at).concat(ids.slice(at + 1)))];
  if (next.length > limit) next.length = limit;
  return next;
}

/** Where state lives: the cache's Redis when configured, else `<dataDir>/bridge-state.sqlite`. */
export function stateUrlOf(config: Config): string {
  const cache = config.cache.url;
  if (cache?.startsWith('redis://') || cache?.startsWith('rediss://') || cache?.startsWith('memory:'))
    return cache;
  return `sqlite://${path.resolve(config.dataDir, 'bridge-state.sqlite')}`;
}

/**
 * Opens the state store for a `sqlite://`, `redis://` or `memory://` URL (memory: this store's
 * own; Redis: the key layout state has always had there).
 */
export function openStateStore(url: string, namespace = 'bridge'): StateStore {
  if (url.startsWith('file:'))
    throw new ConfigError([`cache.url: unsupported scheme for bridge state "${url.split(':')[0]}"`]);
  return new StateStore(openKeyValueStore(url, namespace, { privateMemory: true, redisDoublePrefix: true }));
}
