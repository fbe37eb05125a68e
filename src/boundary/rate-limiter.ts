import { setTimeout as sleep } from 'node:timers/promises';
import { createRedisClient, type RedisClient } from '../cache/redis-client.js';
import { ProviderError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { RateLimit } from '../providers/network/options.js';

/**
 * A token bucket per key (GCRA: one "theoretical arrival time" per key). `acquire` reserves the
 * next free slot and waits until it comes, so waiting callers are served in order without polling.
 */
export interface RateLimiter {
  readonly shared: boolean;
  /** Waits for a slot. Throws a retryable ProviderError without reserving when the wait would exceed `maxWaitMs`. */
  acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<{ waitedMs: number }>;
  /** Nothing goes out for `ms` (a server's Retry-After); after that the bucket refills from empty. */
  block(key: string, limit: RateLimit, ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Longest a caller may be queued before it is refused. @default 30000 */
  maxWaitMs?: number;
  logger?: Logger;
}

/** Emission interval (ms between tokens) and bucket size for a limit. */
function shape(limit: RateLimit): { intervalMs: number; burst: number } {
  return { intervalMs: 60_000 / limit.perMinute, burst: Math.max(1, limit.burst) };
}

/** The reservation arithmetic shared by both backends (mirrored in RESERVE_LUA). */
export function reserve(
  tat: number,
  now: number,
  limit: RateLimit,
  maxWaitMs: number,
): { ok: boolean; waitMs: number; tat: number } {
  const { intervalMs, burst } = shape(limit);
  const start = Math.max(tat, now);
  const waitMs = Math.max(0, start - intervalMs * (burst - 1) - now);
  if (waitMs > maxWaitMs) return { ok: false, waitMs, tat };
  return { ok: true, waitMs, tat: start + intervalMs };
}

function refused(key: string, waitMs: number): ProviderError {
  return new ProviderError(
    key,
    'RATE_LIMIT_QUEUE_FULL',
    `local rate limit: next slot in ${Math.ceil(waitMs)} ms`,
    {
      retryable: true,
      retryAfterMs: Math.ceil(waitMs),
    },
  );
}

/** In-process buckets: right for one bridge (SQLite or memory cache). */
export function createMemoryRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const tats = new Map<string, number>();
  return {
    shared: false,
    async acquire(key, limit, signal) {
      const r = reserve(tats.get(key) ?? 0, Date.now(), limit, maxWaitMs);
      if (!r.ok) throw refused(key, r.waitMs);
      tats.set(key, r.tat);
      if (r.waitMs > 0) await sleep(r.waitMs, undefined, signal ? { signal } : {});
      return { waitedMs: r.waitMs };
    },
    async block(key, limit, ms) {
      const { intervalMs, burst } = shape(limit);
      const target = Date.now() + ms + intervalMs * (burst - 1);
      tats.set(key, Math.max(tats.get(key) ?? 0, target));
    },
    async close() {},
  };
}

// Redis TIME is the clock, so bridges on different machines agree on "now".
const NOW_LUA = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])`;

const RESERVE_LUA = `${NOW_LUA}
local start = math.max(tat, now)
local wait = math.max(0, start - interval * (burst - 1) - now)
if wait > tonumber(ARGV[3]) then return {0, tostring(wait)} end
local nextTat = start + interval
redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(nextTat - now) + 1000)
return {1, tostring(wait)}`;

const BLOCK_LUA = `${NOW_LUA}
local target = now + tonumber(ARGV[3]) + interval * (burst - 1)
if target > tat then
  redis.call('SET', KEYS[1], tostring(target), 'PX', math.ceil(target - now) + 1000)
end
return 1`;

/**
 * Buckets in Redis, shared by every bridge using the same Redis: the reservation runs as one Lua
 * script, so two instances can never take the same slot. If Redis fails, the limiter falls back to
 * in-process buckets (logged) rather than failing lookups.
 */
export function createRedisRateLimiter(url: string, options: RateLimiterOptions = {}): RateLimiter {
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const fallback = createMemoryRateLimiter(options);
  // redis is imported on first use: processes without Redis do not pay its ~12 MB.
  let client: RedisClient | undefined;
  let connecting: Promise<unknown> | undefined;
  const ready = async (): Promise<RedisClient> => {
    if (!client) {
      const created = await createRedisClient(url, {
        onError: (error) => options.logger?.debug({ err: error }, 'rate limiter redis error'),
      });
      client ??= created;
    }
    const c = client;
    if (!c.isOpen) connecting ??= c.connect().finally(() => (connecting = undefined));
    await connecting;
    return c;
  };
  const run = async (script: string, key: string, limit: RateLimit, extra: number): Promise<unknown> => {
    const redis = await ready();
    const { intervalMs, burst } = shape(limit);
    return redis.eval(script, {
      keys: [`abs-bridge:ratelimit:${key}`],
      arguments: [String(intervalMs), String(burst), String(extra)],
    });
  };
  let warned = false;
  const degrade = (error: unknown) => {
    if (!warned)
      options.logger?.warn({ err: error }, 'shared rate limiter unavailable; limiting per instance');
    warned = true;
  };
  return {
    shared: true,
    async acquire(key, limit, signal) {
      let reply: unknown;
      try {
        reply = await run(RESERVE_LUA, key, limit, maxWaitMs);
        warned = false;
      } catch (error) {
        degrade(error);
        return fallback.acquire(key, limit, signal);
      }
      const [ok, wait] = reply as [number, string];
      const waitMs = Number(wait);
      if (ok !== 1) throw refused(key, waitMs);
      if (waitMs > 0) await sleep(waitMs, undefined, signal ? { signal } : {});
      return { waitedMs: waitMs };
    },
    async block(key, limit, ms) {
      await fallback.block(key, limit, ms);
      await run(BLOCK_LUA, key, limit, ms).catch(degrade);
    },
    async close() {
      if (client?.isOpen) await client.close().catch(() => undefined);
    },
  };
}
