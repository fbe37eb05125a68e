import type { RedisClientType } from 'redis';

export type RedisClient = RedisClientType;

export interface RedisClientOptions {
  /** Told about connection errors (refused, dropped, reconnecting); the next command fails on its own. */
  onError?: (error: unknown) => void;
  /** Time to open a connection. @default 2000 */
  connectTimeoutMs?: number;
}

/**
 * The one way this project makes a Redis client (cache, bridge state, locks, shared rate limits),
 * so every user gets the same outage behaviour: commands fail at once while Redis is away instead
 * of queueing until it returns, and reconnection backs off from 100 ms to 5 s. Not yet connected:
 * `@keyv/redis` connects the client it is given, the others call `connect()`.
 * `redis` is imported here, so a process without a redis:// URL never loads it (~12 MB).
 */
export async function createRedisClient(url: string, options: RedisClientOptions = {}): Promise<RedisClient> {
  const { createClient } = await import('redis');
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 2000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000),
    },
  }) as RedisClient;
  // An 'error' without a listener would crash the process; reconnection is automatic.
  client.on('error', (error: unknown) => options.onError?.(error));
  return client;
}
