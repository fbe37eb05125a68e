import { stat } from 'node:fs/promises';
import type KeyvRedis from '@keyv/redis';
import type KeyvSqlite from '@keyv/sqlite';
import type Keyv from 'keyv';
import { BridgeError, ConfigError, describeError } from '../errors.js';
import type { FileKeyvAdapter } from './file-adapter.js';
import {
  backendOf,
  jsonPathOf,
  type OpenOptions,
  openKeyValueStore,
  type StoreBackend,
  sqlitePathOf,
} from './open-store.js';
import { deserializeJson } from './serialize.js';

/** A store operation failed (disk, database or network). The caller decides whether that is fatal. */
export class StoreError extends BridgeError {
  readonly operation: string;
  constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super('STORE_ERROR', `store ${operation} failed: ${message}`, options);
    this.operation = operation;
  }
}

/**
 * A namespaced key-value store on top of the cache URL (SQLite file, Redis, JSON file or memory), for the
 * provider cache and for anyone needing persistent state (e.g. the bridge's item state).
 * Every method throws StoreError on failure — nothing is swallowed here.
 */
export interface KeyValueStore {
  readonly backend: StoreBackend;
  readonly namespace: string;
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Values of several keys with their absolute expiry (epoch ms), in one store call (SQLite: one
   * `SELECT … IN`, Redis: one `MGET`), in the order of `keys`. Expired entries are deleted as `get`
   * deletes them.
   */
  getManyWithExpiry<T>(keys: readonly string[]): Promise<(StoredWithExpiry<T> | undefined)[]>;
  /** Stores `value`; without `ttlMs` it never expires. */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Every live entry of this namespace (order unspecified). */
  entries<T = unknown>(): AsyncGenerator<[string, T]>;
  /** Removes every entry of this namespace only. */
  clear(): Promise<void>;
  /** Bytes on disk when cheap to know (SQLite or JSON file size). */
  sizeBytes(): Promise<number | undefined>;
  close(): Promise<void>;
}

/** A stored value and its absolute expiry (epoch ms), when it has one. */
export interface StoredWithExpiry<T> {
  value: T;
  expiresAt?: number;
}

export interface StoreOptions extends Pick<OpenOptions, 'onBackgroundError' | 'onDiscarded'> {
  /** Per-operation time limit, so a hung Redis becomes an error instead of a stall. @default 2000 */
  opTimeoutMs?: number;
}

/**
 * Opens a namespaced store for `url` (`sqlite://path`, `redis://host:port`, `file:///path.json`,
 * `memory://`). Throws FileInUseError at once when another process holds a `file://` cache.
 */
export function createKeyValueStore(
  url: string,
  namespace: string,
  options: StoreOptions = {},
): KeyValueStore {
  if (!/^[\w.-]+$/.test(namespace)) throw new ConfigError([`store namespace "${namespace}" must be a word`]);
  const backend = backendOf(url);
  const opTimeoutMs = options.opTimeoutMs ?? 2000;
  // A promise: Redis's client is imported only when a redis:// URL is used.
  const keyv = openKeyValueStore(url, namespace, {
    ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
    ...(options.onDiscarded ? { onDiscarded: options.onDiscarded } : {}),
  });
  const filePath =
    backend === 'sqlite' ? sqlitePathOf(url) : backend === 'file' ? jsonPathOf(url) : undefined;
  // A file's errors name it (SQLite's own say only "file is not a database").
  const where = filePath ? `${backend} file ${filePath}: ` : '';
  const run = <T>(operation: string, work: (kv: Keyv) => Promise<T>): Promise<T> =>
    withTimeout(operation, async () => work(await keyv), opTimeoutMs, where);

  return {
    backend,
    namespace,
    get: async <T>(key: string) => (await run('get', (kv) => kv.get<T>(key))) ?? undefined,
    async getManyWithExpiry<T>(keys: readonly string[]) {
      if (keys.length === 0) return [];
      // Not getManyRaw: Keyv 5.6 deletes the expired rows it finds under a doubly prefixed key
      // (so never); getMany's raw form deletes them as get does.
      const rows = await run('get', (kv) => kv.getMany<T>([...keys], { raw: true }));
      return keys.map((_, i) => withExpiry(rows[i]));
    },
    async set(key, value, ttlMs) {
      const ok = await run('set', (kv) => kv.set(key, value, ttlMs));
      if (ok === false) throw new StoreError('set', `the ${backend} store refused the write`);
    },
    delete: (key) => run('delete', (kv) => kv.delete(key)),
    entries: <T>() =>
      iterate<T>(keyv, backend, namespace, (op, work) => withTimeout(op, work, opTimeoutMs, where)),
    clear: () => run('clear', (kv) => kv.clear()),
    async sizeBytes() {
      if (!filePath) return undefined;
      return stat(filePath).then(
        (s) => s.size,
        () => undefined,
      );
    },
    async close() {
      await keyv.then((k) => k.disconnect()).catch(() => undefined);
    },
  };
}

function withExpiry<T>(
  raw: { value?: T; expires?: number | null } | undefined,
): StoredWithExpiry<T> | undefined {
  if (!raw || raw.value === undefined) return undefined;
  return typeof raw.expires === 'number'
    ? { value: raw.value, expiresAt: raw.expires }
    : { value: raw.value };
}

async function* iterate<T>(
  ready: Promise<Keyv>,
  backend: StoreBackend,
  namespace: string,
  limit: <R>(operation: string, work: () => Promise<R>) => Promise<R>,
): AsyncGenerator<[string, T]> {
  const keyv = await limit('iterate', () => ready);
  let source: AsyncIterable<[string, unknown]>;
  if (backend === 'memory') {
    if (!keyv.iterator) throw new StoreError('iterate', 'the memory store cannot list its keys');
    source = keyv.iterator(namespace) as AsyncIterable<[string, unknown]>;
  } else {
    const rows =
      backend === 'sqlite'
        ? sqliteRows(keyv.store as KeyvSqlite, namespace)
        : backend === 'redis'
          ? (keyv.store as KeyvRedis<unknown>).iterator(namespace)
          : fileRows(keyv.store as FileKeyvAdapter, namespace);
    source = liveValues(rows);
  }
  const iterator = source[Symbol.asyncIterator]();
  while (true) {
    const next = await limit('iterate', () => iterator.next());
    if (next.done) return;
    const [key, value] = next.value;
    if (value !== undefined) yield [key, value as T];
  }
}

/** Stored rows hold Keyv's serialised `{value, expires}`; expired ones are skipped (not deleted). */
async function* liveValues(rows: AsyncIterable<[string, unknown]>): AsyncGenerator<[string, unknown]> {
  for await (const [key, raw] of rows) {
    if (typeof raw !== 'string') continue;
    const data = deserializeJson<{ value?: unknown; expires?: number | null }>(raw);
    if (!data || (typeof data.expires === 'number' && Date.now() > data.expires)) continue;
    yield [key, data.value];
  }
}

/**
 * A namespace's SQLite rows in key order, 200 a page, each page starting after the last key seen.
 * Not Keyv's iterator: it pages by OFFSET and deletes expired rows as it goes, so every deletion
 * shifts the next page and skips a live row. `<ns>:` keys are exactly those in [`<ns>:`, `<ns>;`).
 */
async function* sqliteRows(adapter: KeyvSqlite, namespace: string): AsyncGenerator<[string, string]> {
  const prefix = `${namespace}:`;
  const select = `SELECT key, value FROM ${adapter.opts.table} WHERE key > ? AND key < ? ORDER BY key LIMIT 200`;
  let after = prefix;
  while (true) {
    const rows = (await adapter.query(select, after, `${namespace};`)) as { key: string; value: string }[];
    const last = rows.at(-1);
    if (!last) return;
    for (const row of rows) yield [row.key.slice(prefix.length), row.value];
    after = last.key;
  }
}

/** The JSON file's rows under `<ns>:<key>`, keys without the namespace. */
async function* fileRows(adapter: FileKeyvAdapter, namespace: string): AsyncGenerator<[string, unknown]> {
  for await (const [key, raw] of adapter.iterator(namespace)) yield [key.slice(namespace.length + 1), raw];
}

async function withTimeout<T>(operation: string, work: () => Promise<T>, ms: number, where = ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreError(operation, `no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), limit]);
  } catch (cause) {
    if (cause instanceof StoreError) throw cause;
    throw new StoreError(operation, `${where}${describeError(cause)}`, { cause });
  } finally {
    clearTimeout(timer);
  }
}
