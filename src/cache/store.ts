import { stat } from 'node:fs/promises';
import path from 'node:path';
import type KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { BridgeError, ConfigError, describeError } from '../errors.js';
import { jsonSerialization } from './serialize.js';
import { SqliteKeyvAdapter } from './sqlite-adapter.js';

/** Which storage a cache URL selects. */
export type StoreBackend = 'sqlite' | 'redis' | 'memory';

/** A store operation failed (disk, database or network). The caller decides whether that is fatal. */
export class StoreError extends BridgeError {
  readonly operation: string;
  constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super('STORE_ERROR', `store ${operation} failed: ${message}`, options);
    this.operation = operation;
  }
}

/**
 * A namespaced key-value store on top of the cache URL (SQLite file, Redis or memory), for the
 * provider cache and for anyone needing persistent state (e.g. the bridge's item state).
 * Every method throws StoreError on failure — nothing is swallowed here.
 */
export interface KeyValueStore {
  readonly backend: StoreBackend;
  readonly namespace: string;
  get<T>(key: string): Promise<T | undefined>;
  /** The value with its absolute expiry (epoch ms), when it has one. */
  getWithExpiry<T>(key: string): Promise<{ value: T; expiresAt?: number } | undefined>;
  /** Stores `value`; without `ttlMs` it never expires. */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Every live entry of this namespace (order unspecified). */
  entries<T = unknown>(): AsyncGenerator<[string, T]>;
  /** Removes every entry of this namespace only. */
  clear(): Promise<void>;
  /** Bytes on disk when cheap to know (SQLite file size). */
  sizeBytes(): Promise<number | undefined>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Per-operation time limit, so a hung Redis becomes an error instead of a stall. @default 2000 */
  opTimeoutMs?: number;
  /** Told about connection-level errors (Redis reconnects) that no operation is waiting for. */
  onBackgroundError?: (error: unknown) => void;
}

/** Backend of a cache URL, or ConfigError naming the URL. */
export function backendOf(url: string): StoreBackend {
  if (url.startsWith('sqlite://')) return 'sqlite';
  if (url.startsWith('redis://') || url.startsWith('rediss://')) return 'redis';
  if (url.startsWith('memory://')) return 'memory';
  throw new ConfigError([`cache.url: "${url}" is not sqlite://path, redis://host:port or memory://`]);
}

/** Opens a namespaced store for `url` (`sqlite://path`, `redis://host:port`, `memory://`). */
export function createKeyValueStore(
  url: string,
  namespace: string,
  options: StoreOptions = {},
): KeyValueStore {
  if (!/^[\w.-]+$/.test(namespace)) throw new ConfigError([`store namespace "${namespace}" must be a word`]);
  const backend = backendOf(url);
  const opTimeoutMs = options.opTimeoutMs ?? 2000;
  // A promise: Redis's client is imported only when a redis:// URL is used.
  const keyv = openKeyv(backend, url, namespace, options);
  // A failed Redis import is reported by the first operation; no unhandled rejection meanwhile.
  keyv.catch(() => undefined);
  const run = <T>(operation: string, work: (kv: Keyv) => Promise<T>): Promise<T> =>
    withTimeout(operation, async () => work(await keyv), opTimeoutMs);
  const sqlitePath = backend === 'sqlite' ? sqlitePathOf(url) : undefined;

  return {
    backend,
    namespace,
    get: async <T>(key: string) => (await run('get', (kv) => kv.get<T>(key))) ?? undefined,
    async getWithExpiry<T>(key: string) {
      const raw = await run('get', (kv) => kv.getRaw<T>(key));
      if (!raw || raw.value === undefined) return undefined;
      return typeof raw.expires === 'number'
        ? { value: raw.value, expiresAt: raw.expires }
        : { value: raw.value };
    },
    async set(key, value, ttlMs) {
      const ok = await run('set', (kv) => kv.set(key, value, ttlMs));
      if (ok === false) throw new StoreError('set', `the ${backend} store refused the write`);
    },
    delete: (key) => run('delete', (kv) => kv.delete(key)),
    entries: <T>() => iterate<T>(keyv, backend, namespace, opTimeoutMs),
    clear: () => run('clear', (kv) => kv.clear()),
    async sizeBytes() {
      if (!sqlitePath) return undefined;
      return stat(sqlitePath).then(
        (s) => s.size,
        () => undefined,
      );
    },
    async close() {
      await keyv.then((k) => k.disconnect()).catch(() => undefined);
    },
  };
}

const memoryMaps = new Map<string, Map<string, unknown>>();

function sqlitePathOf(url: string): string {
  return path.resolve(url.slice('sqlite://'.length));
}

async function openKeyv(
  backend: StoreBackend,
  url: string,
  namespace: string,
  options: StoreOptions,
): Promise<Keyv> {
  if (backend === 'memory') {
    // One Map per URL and namespace, so stores opened twice in a process see the same data (as files do).
    const id = `${url}#${namespace}`;
    const map = memoryMaps.get(id) ?? new Map();
    memoryMaps.set(id, map);
    return new Keyv({ store: map, throwOnErrors: true });
  }
  if (backend === 'sqlite') {
    const store = new SqliteKeyvAdapter(sqlitePathOf(url), { busyTimeoutMs: 5000 });
    const keyv = new Keyv({ store, namespace, throwOnErrors: true, ...jsonSerialization });
    keyv.on('error', (error: unknown) => options.onBackgroundError?.(error));
    return keyv;
  }
  const [{ createClient }, { default: KeyvRedisAdapter }] = await Promise.all([
    import('redis'),
    import('@keyv/redis'),
  ]);
  const client = createClient({
    url,
    // Commands fail at once while Redis is away instead of queueing forever.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) },
  });
  client.on('error', (error: unknown) => options.onBackgroundError?.(error));
  const store = new KeyvRedisAdapter(client, {
    namespace,
    throwOnErrors: true,
    throwOnConnectError: true,
    connectionTimeout: 2000,
  });
  store.on('error', (error: unknown) => options.onBackgroundError?.(error));
  return new Keyv({ store, namespace, useKeyPrefix: false, throwOnErrors: true, ...jsonSerialization });
}

async function* iterate<T>(
  ready: Promise<Keyv>,
  backend: StoreBackend,
  namespace: string,
  opTimeoutMs: number,
): AsyncGenerator<[string, T]> {
  const keyv = await withTimeout('iterate', () => ready, opTimeoutMs);
  let source: AsyncIterable<[string, unknown]>;
  if (backend === 'redis') {
    const adapter = keyv.store as KeyvRedis<unknown>;
    source = redisEntries(adapter, namespace);
  } else if (keyv.iterator) {
    source = keyv.iterator(namespace) as AsyncIterable<[string, unknown]>;
  } else {
    throw new StoreError('iterate', `the ${backend} store cannot list its keys`);
  }
  const iterator = source[Symbol.asyncIterator]();
  while (true) {
    const next = await withTimeout('iterate', () => iterator.next(), opTimeoutMs);
    if (next.done) return;
    const [key, value] = next.value;
    if (value !== undefined) yield [key, value as T];
  }
}

/** Redis entries hold Keyv's serialised `{value, expires}`; expired ones are skipped. */
async function* redisEntries(
  adapter: KeyvRedis<unknown>,
  namespace: string,
): AsyncGenerator<[string, unknown]> {
  for await (const [key, raw] of adapter.iterator(namespace)) {
    if (typeof raw !== 'string') continue;
    const data = JSON.parse(raw) as { value?: unknown; expires?: number | null };
    if (typeof data.expires === 'number' && Date.now() > data.expires) continue;
    yield [key, data.value];
  }
}

async function withTimeout<T>(operation: string, work: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreError(operation, `no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), limit]);
  } catch (cause) {
    if (cause instanceof StoreError) throw cause;
    throw new StoreError(operation, describeError(cause), { cause });
  } finally {
    clearTimeout(timer);
  }
}
