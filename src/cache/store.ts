import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { BridgeError, ConfigError, describeError } from '../errors.js';
import { FileKeyvAdapter } from './file-adapter.js';
import { FileInUseError } from './file-lock.js';
import { deserializeJson, jsonSerialization } from './serialize.js';
import { SqliteKeyvAdapter } from './sqlite-adapter.js';

/** Which storage a cache URL selects. */
export type StoreBackend = 'sqlite' | 'redis' | 'memory' | 'file';

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
  /** The value with its absolute expiry (epoch ms), when it has one. */
  getWithExpiry<T>(key: string): Promise<{ value: T; expiresAt?: number } | undefined>;
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

export interface StoreOptions {
  /** Per-operation time limit, so a hung Redis becomes an error instead of a stall. @default 2000 */
  opTimeoutMs?: number;
  /** Told about connection-level errors (Redis reconnects) that no operation is waiting for. */
  onBackgroundError?: (error: unknown) => void;
  /** Told when stored data could not be read at open and was set aside (a corrupt JSON cache file). */
  onDiscarded?: (message: string) => void;
}

/** Backend of a cache URL, or ConfigError naming the URL. */
export function backendOf(url: string): StoreBackend {
  if (url.startsWith('sqlite://')) return 'sqlite';
  if (url.startsWith('redis://') || url.startsWith('rediss://')) return 'redis';
  if (url.startsWith('memory://')) return 'memory';
  if (url.startsWith('file://')) return 'file';
  throw new ConfigError([
    `cache.url: "${url}" is not sqlite://path, redis://host:port, file:///path/cache.json or memory://`,
  ]);
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
  const keyv =
    backend === 'file' ? openFileKeyv(url, namespace, options) : openKeyv(backend, url, namespace, options);
  // A failed Redis import is reported by the first operation; no unhandled rejection meanwhile.
  keyv.catch(() => undefined);
  const run = <T>(operation: string, work: (kv: Keyv) => Promise<T>): Promise<T> =>
    withTimeout(operation, async () => work(await keyv), opTimeoutMs);
  const filePath =
    backend === 'sqlite' ? sqlitePathOf(url) : backend === 'file' ? jsonPathOf(url) : undefined;

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

const memoryMaps = new Map<string, Map<string, unknown>>();

function sqlitePathOf(url: string): string {
  return path.resolve(url.slice('sqlite://'.length));
}

/** `file:///abs/cache.json` (a standard file URL), or `file://relative/cache.json` as sqlite:// takes it. */
export function jsonPathOf(url: string): string {
  const rest = url.slice('file://'.length);
  const file = rest.startsWith('/') ? fileURLToPath(url) : path.resolve(rest);
  if (!rest || file.endsWith(path.sep)) throw new ConfigError([`cache.url: "${url}" names no file`]);
  return file;
}

/**
 * The JSON file opens synchronously, so that a file held by another process refuses the store
 * itself (a clear error at start-up, not a warning per lookup). Any other failure to open (no
 * permission, unreadable folder) fails each operation instead, as a broken SQLite file does.
 */
function openFileKeyv(url: string, namespace: string, options: StoreOptions): Promise<Keyv> {
  let store: FileKeyvAdapter;
  try {
    store = new FileKeyvAdapter(jsonPathOf(url), {
      ...(options.onDiscarded ? { onDiscarded: options.onDiscarded } : {}),
    });
  } catch (error) {
    if (error instanceof FileInUseError || error instanceof ConfigError) throw error;
    return Promise.reject(error);
  }
  const keyv = new Keyv({ store, namespace, throwOnErrors: true, ...jsonSerialization });
  keyv.on('error', (error: unknown) => options.onBackgroundError?.(error));
  return Promise.resolve(keyv);
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
  } else if (backend === 'file') {
    source = fileEntries(keyv.store as FileKeyvAdapter, namespace);
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

/** File entries hold Keyv's serialised `{value, expires}` under `namespace:key`; expired ones are skipped. */
async function* fileEntries(adapter: FileKeyvAdapter, namespace: string): AsyncGenerator<[string, unknown]> {
  for await (const [key, raw] of adapter.iterator(namespace)) {
    const data = deserializeJson<{ value?: unknown; expires?: number | null }>(raw);
    if (!data || (typeof data.expires === 'number' && Date.now() > data.expires)) continue;
    yield [key.slice(namespace.length + 1), data.value];
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
