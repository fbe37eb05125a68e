import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { entryFromResult } from '../../src/cache/entry.js';
import { makeCacheKey } from '../../src/cache/keys.js';
import { MetadataCache } from '../../src/cache/metadata-cache.js';
import { createKeyValueStore } from '../../src/cache/store.js';
import type { ProviderResult } from '../../src/domain/provider-result.js';
import { SCHEMA_VERSION } from '../../src/domain/versioning.js';
import { EventBus } from '../../src/events/bus.js';

/** A found Audnexus-style result with everything provenance needs. */
export function foundResult(overrides: Partial<ProviderResult> = {}): ProviderResult {
  return {
    provider: 'audnexus',
    success: true,
    fields: {
      title: 'The Way of Kings',
      authors: [{ name: 'Brandon Sanderson', asin: 'B001IGFHW6' }],
      narrators: ['Michael Kramer', 'Kate Reading'],
      series: [{ name: 'The Stormlight Archive', sequence: '1' }],
      durationSeconds: 162_720,
      asin: 'B003P2WO5E',
    },
    confidence: { title: 0.97, series: 0.9, 'customFields.shelf': 0.8 },
    matchConfidence: 0.95,
    matchedBy: 'asin',
    candidates: [
      {
        id: 'B003P2WO5E',
        provider: 'audnexus',
        title: 'The Way of Kings',
        score: 0.95,
        explanation: { title: 1, author: 1, note: 'asin match' },
        fields: { title: 'The Way of Kings' },
      },
    ],
    fetchedAt: '2026-01-02T03:04:05.000Z',
    cached: false,
    sourceRefs: { title: 'https://api.audnex.us/books/B003P2WO5E' },
    raw: { series: 'Book 1' },
    ...overrides,
  };
}

/** A cache entry as schema 1.0.0 wrote it. */
const V1_ENTRY = {
  schemaVersion: '1.0.0',
  provider: 'audnexus',
  fields: { title: 'T', author: 'A' },
  confidence: { title: 0.9 },
  fetched_at: '2020-05-06T07:08:09.000Z',
};

export interface BackendFixture {
  url: string;
  cleanup?: () => Promise<void>;
}

/**
 * The one contract every cache backend passes (as keyv's and unstorage's adapter suites do).
 * Each test gets its own namespace so backends that persist (SQLite, Redis) stay isolated.
 */
export function describeCacheContract(
  name: string,
  makeBackend: () => Promise<BackendFixture | undefined>,
): void {
  describe.sequential(`cache contract: ${name}`, () => {
    let fixture: BackendFixture | undefined;
    let cache: MetadataCache;
    let events: EventBus;
    let errors: string[];
    let namespace: string;

    beforeEach(async (ctx) => {
      fixture = await makeBackend();
      if (!fixture) return ctx.skip();
      namespace = `t${Math.random().toString(36).slice(2, 10)}`;
      events = new EventBus();
      errors = [];
      events.on('cache.error', (e) => {
        errors.push(`${e.operation}: ${e.message}`);
      });
      cache = new MetadataCache(fixture.url, { events, namespace });
    });
    afterEach(async () => {
      vi.useRealTimers();
      if (!fixture) return;
      await cache.clear().catch(() => undefined);
      await cache.close();
      await fixture.cleanup?.();
    });

    const key = makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us');

    it('round-trips a result with its provenance and marks it cached', async () => {
      await cache.set(key, foundResult(), 3600);
      const hit = await cache.get(key);
      expect(hit).toEqual({ ...foundResult(), cached: true });
      expect(hit?.fetchedAt).toBe('2026-01-02T03:04:05.000Z');
      expect(errors).toEqual([]);
    });

    it('expires entries after their TTL', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      await cache.set(key, foundResult(), 60);
      vi.setSystemTime(Date.now() + 59_000);
      expect(await cache.get(key)).toBeDefined();
      vi.setSystemTime(Date.now() + 2_000);
      expect(await cache.get(key)).toBeUndefined();
    });

    it('caches "not found" as a negative entry and counts it', async () => {
      const notFound = foundResult({
        success: false,
        fields: {},
        confidence: {},
        matchConfidence: 0,
        candidates: [],
      });
      await cache.set(key, notFound, 60);
      const hit = await cache.get(key);
      expect(hit).toMatchObject({ success: false, cached: true, fields: {} });
      expect((await cache.stats()).negative).toBe(1);
    });

    it('never stores a result that carries an error', async () => {
      const failed = foundResult({
        success: false,
        error: { code: 'UPSTREAM_ERROR', message: '503', retryable: true },
      });
      await cache.set(key, failed, 60);
      expect(await cache.get(key)).toBeUndefined();
    });

    it('invalidates one key and keys matching a pattern', async () => {
      const other = makeCacheKey('audnexus', 'asin', 'B0036S4B2G', 'uk');
      const itunes = makeCacheKey('itunes', 'search', 'the way of kings|brandon sanderson', 'us');
      for (const k of [key, other, itunes]) await cache.set(k, foundResult(), 3600);
      expect(await cache.invalidate(other)).toBe(true);
      await cache.set(other, foundResult(), 3600);
      expect(await cache.invalidatePattern(`${SCHEMA_VERSION}:audnexus:*`)).toBe(2);
      expect(await cache.get(key)).toBeUndefined();
      expect(await cache.get(itunes)).toBeDefined();
      expect((await cache.stats()).byProvider).toEqual({ itunes: 1 });
    });

    it('remembers when answers were removed: clear and a matching invalidation mark it, stats skip the mark', async () => {
      expect(await cache.clearedAt()).toBe(0);
      await cache.set(key, foundResult(), 3600);
      expect(await cache.invalidatePattern('9.9.9:nobody:*')).toBe(0);
      expect(await cache.clearedAt()).toBe(0);
      const before = Date.now();
      expect(await cache.invalidatePattern(`${SCHEMA_VERSION}:audnexus:*`)).toBe(1);
      const first = await cache.clearedAt();
      expect(first).toBeGreaterThanOrEqual(before);
      expect((await cache.stats()).entries).toBe(0);
      await cache.set(key, foundResult(), 3600);
      await cache.clear();
      expect(await cache.clearedAt()).toBeGreaterThanOrEqual(first);
      expect((await cache.stats()).entries).toBe(0);
      expect(errors).toEqual([]);
    });

    it('does not serve entries of a schema version it cannot migrate (schema bump invalidates)', async () => {
      const store = createKeyValueStore(fixture!.url, namespace);
      const oldKey = makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us', '0.9.0');
      await store.set(oldKey, { schemaVersion: '0.9.0', fields: { title: 'Old' } }, 60_000);
      await store.close();
      expect(await cache.get(key)).toBeUndefined();
      expect((await cache.stats()).bySchemaVersion).toEqual({ '0.9.0': 1 });
      expect(await cache.invalidatePattern('0.9.0:*')).toBe(1);
    });

    it('migrates an entry written under schema 1.0.0 on read and moves it to the new key', async () => {
      const store = createKeyValueStore(fixture!.url, namespace);
      const v1Key = makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us', '1.0.0');
      await store.set(
        v1Key,
        {
          schemaVersion: '1.0.0',
          provider: 'audnexus',
          fields: {
            title: 'The Way of Kings',
            author: 'Brandon Sanderson',
            series_name: 'Stormlight',
            series_position: 1,
            year: 2010,
          },
          confidence: { title: 0.9, author: 0.8 },
          fetched_at: '2020-05-06T07:08:09.000Z',
        },
        60_000,
      );
      await store.close();
      const hit = await cache.get(key);
      expect(hit).toMatchObject({
        cached: true,
        success: true,
        fetchedAt: '2020-05-06T07:08:09.000Z',
        confidence: { title: 0.9, authors: 0.8 },
        fields: {
          title: 'The Way of Kings',
          authors: [{ name: 'Brandon Sanderson' }],
          series: [{ name: 'Stormlight', sequence: '1' }],
          publishedYear: '2010',
        },
      });
      expect((await cache.stats()).bySchemaVersion).toEqual({ [SCHEMA_VERSION]: 1 });
    });

    /** Keyv read calls (each one store round trip) made while `work` runs. */
    async function storeReads(work: () => Promise<unknown>): Promise<number> {
      const spies = (['get', 'getRaw', 'getMany', 'getManyRaw', 'has', 'hasMany'] as const).map((method) =>
        vi.spyOn(Keyv.prototype, method),
      );
      try {
        await work();
        return spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    }

    it('reads the store once on a miss: the key and its older-schema keys together', async () => {
      expect(await storeReads(() => cache.get(key))).toBe(1);
      await cache.set(key, foundResult(), 3600);
      expect(await storeReads(() => cache.get(key))).toBe(1);
      expect(errors).toEqual([]);
    });

    it('moves a migrated entry with the time it had left, and deletes the old key', async () => {
      const store = createKeyValueStore(fixture!.url, namespace);
      const v1Key = makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us', '1.0.0');
      await store.set(v1Key, V1_ENTRY, 600_000);
      const [written] = await store.getManyWithExpiry([v1Key]);
      expect(await cache.get(key)).toMatchObject({ cached: true, fields: { title: 'T' } });
      const [moved, old] = await store.getManyWithExpiry([key, v1Key]);
      expect(old).toBeUndefined();
      // The new key expires when the old one would have (a few ms of rounding at most).
      expect(Math.abs((moved?.expiresAt ?? 0) - (written?.expiresAt ?? 0))).toBeLessThan(50);
      await store.close();
    });

    it('neither serves nor migrates an expired older-schema entry', async () => {
      const store = createKeyValueStore(fixture!.url, namespace);
      const v1Key = makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us', '1.0.0');
      await store.set(v1Key, V1_ENTRY, 60_000);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61_000);
      expect(await cache.get(key)).toBeUndefined();
      expect(await store.getManyWithExpiry([key, v1Key])).toEqual([undefined, undefined]);
      await store.close();
    });

    it('drops an unreadable entry, reports it, and treats it as a miss', async () => {
      const store = createKeyValueStore(fixture!.url, namespace);
      await store.set(key, { ...entryFromResult(foundResult()), fields: { title: 42 } }, 60_000);
      expect(await cache.get(key)).toBeUndefined();
      expect(errors.join('\n')).toMatch(/decode: .*fields\.title/);
      expect(await store.get(key)).toBeUndefined();
      await store.close();
    });
  });
}
