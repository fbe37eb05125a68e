import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCacheKey } from '../../src/cache/keys.js';
import { MetadataCache } from '../../src/cache/metadata-cache.js';
import { createKeyValueStore, StoreError } from '../../src/cache/store.js';
import { ConfigError } from '../../src/errors.js';
import { EventBus } from '../../src/events/bus.js';
import { hasRedisServer, startRedisServer } from '../setup/redis-server.js';
import { foundResult } from './contract.js';

const key = makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function watch(events: EventBus): string[] {
  const seen: string[] = [];
  events.on('cache.error', (e) => {
    seen.push(e.operation);
  });
  return seen;
}

describe('a broken cache is a logged miss, never a failed item', () => {
  it('SQLite file that is not a database: get misses, set does not throw, both are reported', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cache-broken-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'cache.sqlite');
    await writeFile(
      file,
      'this is not an SQLite database, just text that fills the header page. '.repeat(20),
    );
    const events = new EventBus();
    const seen = watch(events);
    const cache = new MetadataCache(`sqlite://${file}`, { events });
    cleanups.push(() => cache.close());
    await expect(cache.set(key, foundResult(), 60)).resolves.toBeUndefined();
    await expect(cache.get(key)).resolves.toBeUndefined();
    expect(seen).toEqual(['set', 'get']);
  });

  it.skipIf(!hasRedisServer() && process.env.CI !== 'true')(
    'Redis stopped mid-run: get misses fast, set does not throw',
    async () => {
      const server = await startRedisServer();
      cleanups.push(() => server.stop());
      const events = new EventBus();
      const seen = watch(events);
      const cache = new MetadataCache(server.url, { events, opTimeoutMs: 1000 });
      cleanups.push(() => cache.close());
      await cache.set(key, foundResult(), 60);
      expect(await cache.get(key)).toMatchObject({ cached: true });
      await server.stop();
      const started = performance.now();
      await expect(cache.get(key)).resolves.toBeUndefined();
      await expect(cache.set(key, foundResult(), 60)).resolves.toBeUndefined();
      expect(performance.now() - started).toBeLessThan(2500);
      expect(seen).toEqual(['get', 'set']);
    },
  );

  it('the key-value store itself throws StoreError naming the operation (state must not vanish silently)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kv-broken-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'state.sqlite');
    await writeFile(file, 'not a database '.repeat(100));
    const store = createKeyValueStore(`sqlite://${file}`, 'state');
    cleanups.push(() => store.close());
    const error = await store.set('item:1', { status: 'applied' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).operation).toBe('set');
  });

  it('refuses an unknown cache URL with a ConfigError naming it', () => {
    expect(() => createKeyValueStore('postgres://x', 'cache')).toThrow(ConfigError);
    expect(() => createKeyValueStore('postgres://x', 'cache')).toThrow(/postgres:\/\/x/);
  });
});

describe('key-value store namespaces', () => {
  it('keeps namespaces apart in one SQLite file and clears only its own', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kv-ns-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const url = `sqlite://${path.join(dir, 'shared.sqlite')}`;
    const cache = createKeyValueStore(url, 'cache');
    const state = createKeyValueStore(url, 'state');
    cleanups.push(
      () => cache.close(),
      () => state.close(),
    );
    await cache.set('a', 1);
    await state.set('a', { status: 'review' });
    await cache.clear();
    expect(await cache.get('a')).toBeUndefined();
    expect(await state.get('a')).toEqual({ status: 'review' });
    const keys: string[] = [];
    for await (const [k] of state.entries()) keys.push(k);
    expect(keys).toEqual(['a']);
  });
});
