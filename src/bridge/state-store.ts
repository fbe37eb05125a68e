import path from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import type { AbsValues } from './abs-item.js';
import type { ItemRecord } from './service-types.js';

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

/**
 * Persistent bridge state on a Keyv store: item records, the recent and review indexes,
 * catch-up checkpoints and backfill progress. With Redis every instance shares it.
 * Index updates are serialised within a process; across processes the last writer wins, which
 * only affects list order (the records themselves are per key).
 */
export class StateStore {
  readonly #kv: Keyv;
  #indexChain: Promise<unknown> = Promise.resolve();

  constructor(kv: Keyv) {
    this.#kv = kv;
  }

  async getItem(itemId: string): Promise<BridgeItemRecord | null> {
    return ((await this.#kv.get(`item:${itemId}`)) as BridgeItemRecord | undefined) ?? null;
  }

  async putItem(record: BridgeItemRecord): Promise<void> {
    await this.#kv.set(`item:${record.itemId}`, record);
    await this.#updateIndex('recent', (ids) =>
      [record.itemId, ...ids.filter((id) => id !== record.itemId)].slice(0, RECENT_LIMIT),
    );
    const inReview = record.decision === 'review';
    await this.#updateIndex('review', (ids) => {
      const rest = ids.filter((id) => id !== record.itemId);
      return inReview ? [record.itemId, ...rest] : rest;
    });
  }

  async recent(limit: number): Promise<BridgeItemRecord[]> {
    return this.#records((await this.#index('recent')).slice(0, limit));
  }

  async review(): Promise<BridgeItemRecord[]> {
    return this.#records(await this.#index('review'));
  }

  async getCheckpoint(libraryId: string): Promise<number> {
    return ((await this.#kv.get(`checkpoint:${libraryId}`)) as number | undefined) ?? 0;
  }

  async setCheckpoint(libraryId: string, updatedAt: number): Promise<void> {
    await this.#kv.set(`checkpoint:${libraryId}`, updatedAt);
  }

  async getBackfill(key: string): Promise<BackfillProgress | null> {
    return ((await this.#kv.get(`backfill:${key}`)) as BackfillProgress | undefined) ?? null;
  }

  async putBackfill(progress: BackfillProgress): Promise<void> {
    await this.#kv.set(`backfill:${progress.key}`, progress);
  }

  async isBackfilled(key: string, itemId: string): Promise<boolean> {
    return (await this.#kv.get(`backfill:${key}:${itemId}`)) === 1;
  }

  async markBackfilled(key: string, itemId: string): Promise<void> {
    await this.#kv.set(`backfill:${key}:${itemId}`, 1);
  }

  async close(): Promise<void> {
    await this.#kv.disconnect();
  }

  async #index(name: string): Promise<string[]> {
    return ((await this.#kv.get(`index:${name}`)) as string[] | undefined) ?? [];
  }

  #updateIndex(name: string, update: (ids: string[]) => string[]): Promise<void> {
    const next = this.#indexChain.then(async () => {
      await this.#kv.set(`index:${name}`, update(await this.#index(name)));
    });
    this.#indexChain = next.catch(() => undefined);
    return next;
  }

  async #records(ids: string[]): Promise<BridgeItemRecord[]> {
    const records = await Promise.all(ids.map((id) => this.getItem(id)));
    return records.filter((r): r is BridgeItemRecord => r !== null);
  }
}

/** Where state lives: the cache's Redis when configured, else `<dataDir>/bridge-state.sqlite`. */
export function stateUrlOf(config: Config): string {
  const cache = config.cache.url;
  if (cache?.startsWith('redis://') || cache?.startsWith('rediss://') || cache?.startsWith('memory:'))
    return cache;
  return `sqlite://${path.resolve(config.dataDir, 'bridge-state.sqlite')}`;
}

/** Opens the state store for a `sqlite://`, `redis://` or `memory://` URL. */
export function openStateStore(url: string, namespace = 'bridge'): StateStore {
  if (url.startsWith('memory:')) return new StateStore(new Keyv({ namespace }));
  if (url.startsWith('sqlite://')) return new StateStore(new Keyv({ store: new KeyvSqlite(url), namespace }));
  if (url.startsWith('redis://') || url.startsWith('rediss://'))
    return new StateStore(new Keyv({ store: new KeyvRedis(url), namespace }));
  throw new ConfigError([`cache.url: unsupported scheme for bridge state "${url.split(':')[0]}"`]);
}
