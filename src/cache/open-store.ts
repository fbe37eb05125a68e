import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { ConfigError } from '../errors.js';
import { FileKeyvAdapter } from './file-adapter.js';
import { FileInUseError } from './file-lock.js';
import { createRedisClient } from './redis-client.js';
import { jsonSerialization } from './serialize.js';

/** Which storage a store URL selects. */
export type StoreBackend = 'sqlite' | 'redis' | 'memory' | 'file';

/** Backend of a store URL, or ConfigError naming the URL. */
export function backendOf(url: string): StoreBackend {
  if (url.startsWith('sqlite://')) return 'sqlite';
  if (url.startsWith('redis://') || url.startsWith('rediss://')) return 'redis';
  if (url.startsWith('memory://')) return 'memory';
  if (url.startsWith('file://')) return 'file';
  throw new ConfigError([
    `cache.url: "${url}" is not sqlite://path, redis://host:port, file:///path/cache.json or memory://`,
  ]);
}

export function sqlitePathOf(url: string): string {
  return path.resolve(url.slice('sqlite://'.length));
}

/** `file:///abs/cache.json` (a standard file URL), or `file://relative/cache.json` as sqlite:// takes it. */
export function jsonPathOf(url: string): string {
  const rest = url.slice('file://'.length);
  const file = rest.startsWith('/') ? fileURLToPath(url) : path.resolve(rest);
  if (!rest || file.endsWith(path.sep)) throw new ConfigError([`cache.url: "${url}" names no file`]);
  return file;
}

export interface OpenOptions {
  /** Told about errors no operation is waiting for (Redis reconnects, a SQLite file that would not open). */
  onBackgroundError?: (error: unknown) => void;
  /** Told when stored data could not be read at open and was set aside (a corrupt JSON cache file). */
  onDiscarded?: (message: string) => void;
  /**
   * memory:// only: a store of this opener's own. Without it every opener of the same URL and
   * namespace in the process shares one map, as openers of one file share its data.
   */
  privateMemory?: boolean;
  /**
   * redis:// only: Keyv prefixes keys with the namespace as well as the adapter, giving
   * `<ns>::<ns>:<key>` — the layout the bridge's state has always had in Redis, kept so that state
   * stays readable. Without it (the cache): `<ns>::<key>`.
   */
  redisDoublePrefix?: boolean;
}

/** Two processes (the service and a CLI command) may write one file: wait this long for the other's lock. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

const memoryMaps = new Map<string, Map<string, unknown>>();

/**
 * The one place a store URL becomes a Keyv: `sqlite://path` (@keyv/sqlite, WAL), `redis://host:port`
 * (@keyv/redis on the project's Redis client), `file:///path.json` or `memory://`. Values are plain
 * JSON (serialize.ts) and every operation throws its error. Throws at once (not through the promise)
 * a ConfigError for a bad URL and a FileInUseError when another process holds a `file://` cache.
 */
export function openKeyValueStore(url: string, namespace: string, options: OpenOptions = {}): Promise<Keyv> {
  const backend = backendOf(url);
  const opening =
    backend === 'file'
      ? openFile(url, options)
      : backend === 'redis'
        ? openRedis(url, namespace, options)
        : Promise.resolve(
            backend === 'sqlite' ? openSqlite(sqlitePathOf(url)) : openMemory(url, namespace, options),
          );
  const keyv = opening.then((store) => {
    const kv =
      store instanceof Keyv
        ? store
        : new Keyv({ store, namespace, throwOnErrors: true, ...jsonSerialization });
    kv.on('error', (error: unknown) => options.onBackgroundError?.(error));
    return kv;
  });
  // A failed Redis import is reported by the first operation; no unhandled rejection meanwhile.
  keyv.catch(() => undefined);
  return keyv;
}

function openMemory(url: string, namespace: string, options: OpenOptions): Keyv {
  const id = `${url}#${namespace}`;
  const map = options.privateMemory ? new Map() : (memoryMaps.get(id) ?? new Map());
  if (!options.privateMemory) memoryMaps.set(id, map);
  return new Keyv({ store: map, throwOnErrors: true });
}

/**
 * @keyv/sqlite's table, `keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)` with `<namespace>:<key>`
 * keys, is the one every version of this project wrote, so older cache and state files open as
 * they are. The adapter opens the file in the background: a file that is not a database, or a
 * folder that cannot be written, fails each operation (the cache reports that as a miss).
 */
function openSqlite(file: string): KeyvSqlite {
  try {
    // A fresh data dir is normal on first start; a failure here surfaces as each operation's error.
    mkdirSync(path.dirname(file), { recursive: true });
  } catch {}
  const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: SQLITE_BUSY_TIMEOUT_MS });
  // WAL: readers never wait for the writer, and a second process writes after at most the busy
  // timeout instead of failing with SQLITE_BUSY. synchronous=NORMAL: a commit does not wait for an
  // fsync; a power cut can lose the last commits, never corrupt the file. Refused (a read-only
  // file): the default journal keeps working. Handling this query's failure also handles the
  // adapter's failed open, which would otherwise be an unhandled rejection.
  store
    .query('PRAGMA journal_mode = WAL')
    .then(() => store.query('PRAGMA synchronous = NORMAL'))
    .catch(() => undefined);
  return store;
}

/**
 * The JSON file opens synchronously, so that a file held by another process refuses the store
 * itself (a clear error at start-up, not a warning per lookup). Any other failure to open (no
 * permission, unreadable folder) fails each operation instead, as a broken SQLite file does.
 */
function openFile(url: string, options: OpenOptions): Promise<FileKeyvAdapter> {
  try {
    return Promise.resolve(
      new FileKeyvAdapter(jsonPathOf(url), {
        ...(options.onDiscarded ? { onDiscarded: options.onDiscarded } : {}),
      }),
    );
  } catch (error) {
    if (error instanceof FileInUseError || error instanceof ConfigError) throw error;
    return Promise.reject(error);
  }
}

async function openRedis(url: string, namespace: string, options: OpenOptions): Promise<Keyv> {
  const onError = (error: unknown) => options.onBackgroundError?.(error);
  const [client, { default: KeyvRedis }] = await Promise.all([
    createRedisClient(url, { onError }),
    import('@keyv/redis'),
  ]);
  const store = new KeyvRedis(client, {
    namespace,
    throwOnErrors: true,
    throwOnConnectError: true,
    connectionTimeout: 2000,
  });
  store.on('error', onError);
  return new Keyv({
    store,
    namespace,
    useKeyPrefix: options.redisDoublePrefix === true,
    throwOnErrors: true,
    ...jsonSerialization,
  });
}
