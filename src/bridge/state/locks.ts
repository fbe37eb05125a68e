import { randomUUID } from 'node:crypto';
import { createRedisClient } from '../../cache/redis-client.js';

/** A held lock; `release` is idempotent and only frees the lock if it is still ours. */
export interface Lease {
  release(): Promise<void>;
}

/**
 * Per-item mutual exclusion. In one process a map is enough; with Redis, two bridges on one ABS
 * share the lock so they never process the same item at once.
 */
export interface LockManager {
  /** Null when someone else holds the lock. `ttlMs` bounds a crashed holder's lock. */
  acquire(key: string, ttlMs: number): Promise<Lease | null>;
  close(): Promise<void>;
}

export function createMemoryLocks(): LockManager {
  const held = new Map<string, { token: string; expires: number }>();
  return {
    async acquire(key, ttlMs) {
      const now = Date.now();
      const cur = held.get(key);
      if (cur && cur.expires > now) return null;
      const token = randomUUID();
      held.set(key, { token, expires: now + ttlMs });
      return {
        async release() {
          if (held.get(key)?.token === token) held.delete(key);
        },
      };
    },
    async close() {
      held.clear();
    },
  };
}

// Delete only if the value is still our token (a lock that expired and was taken by another
// instance must not be freed by the late first holder).
const RELEASE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Redis locks: `SET key token NX PX ttl`, released by a compare-and-delete script. */
export async function createRedisLocks(url: string, prefix = 'abs-bridge:lock:'): Promise<LockManager> {
  // Reconnection is automatic; while Redis is away, acquiring fails at once (the item fails and is retried).
  const client = await createRedisClient(url);
  await client.connect();
  return {
    async acquire(key, ttlMs) {
      const token = randomUUID();
      const ok = await client.set(prefix + key, token, { NX: true, PX: ttlMs });
      if (ok !== 'OK') return null;
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await client.eval(RELEASE_SCRIPT, { keys: [prefix + key], arguments: [token] });
        },
      };
    },
    async close() {
      await client.quit();
    },
  };
}
