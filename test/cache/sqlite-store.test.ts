import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStateStore } from '../../src/bridge/state/state-store.js';
import { entryFromResult } from '../../src/cache/entry.js';
import { makeCacheKey } from '../../src/cache/keys.js';
import { MetadataCache } from '../../src/cache/metadata-cache.js';
import { createKeyValueStore, StoreError } from '../../src/cache/store.js';
import { foundResult } from './contract.js';
import { itemRecord, openRawSqlite, writeOldLayoutFile } from './sqlite-file.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const STORE = path.join(REPO, 'src/cache/store.ts');

describe('SQLite store (@keyv/sqlite)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function file(name = 'kv.sqlite'): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'sqlite-store-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return path.join(dir, name);
  }

  it('reads cache and state files written by the earlier hand-written adapter, and writes on', async () => {
    const f = await file();
    const key = makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us');
    const record = itemRecord('li_1');
    const stored = (value: unknown, expires?: number) => JSON.stringify({ value, expires });
    await writeOldLayoutFile(f, [
      [`cache:${key}`, stored(entryFromResult(foundResult()), Date.now() + 3_600_000)],
      ['bridge:item:li_1', stored(record)],
      ['bridge:index:recent', stored(['li_1'])],
      ['bridge:checkpoint:lib', stored(1_700_000_000_000)],
      ['bridge:backfill:lib:all:run1:li_1', stored(1)],
    ]);

    const cache = new MetadataCache(`sqlite://${f}`);
    cleanups.push(() => cache.close());
    expect(await cache.get(key)).toMatchObject({ cached: true, fields: { title: 'The Way of Kings' } });

    const state = openStateStore(`sqlite://${f}`);
    expect(await state.getItem('li_1')).toEqual(record);
    expect((await state.recent(10)).map((r) => r.itemId)).toEqual(['li_1']);
    expect(await state.getCheckpoint('lib')).toBe(1_700_000_000_000);
    expect(await state.backfilledAmong('lib:all:run1', ['li_1', 'li_2'])).toEqual(new Set(['li_1']));
    await state.putItem(itemRecord('li_2'));
    await state.close();

    // Same table, same keys: nothing was migrated or added beside them.
    const raw = await openRawSqlite(f);
    const tables = await raw.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    const keys = await raw.all<{ key: string }>("SELECT key FROM keyv WHERE key LIKE 'bridge:item:%'");
    await raw.close();
    expect(tables.map((t) => t.name)).toEqual(['keyv']);
    expect(keys.map((k) => k.key).sort()).toEqual(['bridge:item:li_1', 'bridge:item:li_2']);
  });

  it('opens the file in WAL mode and creates its directory', async () => {
    const f = path.join(path.dirname(await file()), 'a', 'b', 'cache.sqlite');
    const store = createKeyValueStore(`sqlite://${f}`, 'cache');
    await store.set('k', 1);
    await store.close();
    const raw = await openRawSqlite(f);
    const [mode] = await raw.all<{ journal_mode: string }>('PRAGMA journal_mode');
    await raw.close();
    expect(mode?.journal_mode).toBe('wal');
  });

  it('two processes writing one file at the same time both succeed (no SQLITE_BUSY)', async () => {
    const url = `sqlite://${await file('shared.sqlite')}`;
    const script = `
      const { createKeyValueStore } = await import(${JSON.stringify(pathToFileURL(STORE).href)});
      const store = createKeyValueStore(${JSON.stringify(url)}, 'cache');
      await store.set('child-ready', 1);
      process.stdout.write('ready\\n');
      let n = 0;
      for (const end = Date.now() + 1500; Date.now() < end; n++) await store.set('child-' + n, { n });
      await store.close();
      process.stdout.write('wrote ' + n + '\\n');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => stdout.includes('ready') && resolve());
      void exited.then((code) => reject(new Error(`child exited ${code} before writing: ${stderr}`)));
    });

    const store = createKeyValueStore(url, 'cache');
    cleanups.push(() => store.close());
    let mine = 0;
    for (const end = Date.now() + 1500; Date.now() < end; mine++) await store.set(`parent-${mine}`, { mine });
    expect(await exited, stderr).toBe(0);
    const theirs = Number(/wrote (\d+)/.exec(stdout)?.[1]);
    expect(theirs).toBeGreaterThan(0);
    let rows = 0;
    for await (const _ of store.entries()) rows++;
    expect(rows).toBe(mine + theirs + 1);
  }, 20_000);

  it('lists a namespace past a page without skipping rows when expired ones sit between them', async () => {
    const url = `sqlite://${await file()}`;
    const store = createKeyValueStore(url, 'cache');
    const near = createKeyValueStore(url, 'cachex');
    cleanups.push(
      () => store.close(),
      () => near.close(),
    );
    for (let i = 0; i < 450; i++)
      await store.set(`k${String(i).padStart(3, '0')}`, i, i % 7 === 0 ? 1 : undefined);
    await near.set('k000', 'other namespace');
    await new Promise((r) => setTimeout(r, 5));
    const seen: string[] = [];
    for await (const [key] of store.entries()) seen.push(key);
    const live = Array.from({ length: 450 }, (_, i) => i)
      .filter((i) => i % 7 !== 0)
      .map((i) => `k${String(i).padStart(3, '0')}`);
    expect(seen).toEqual(live);
  });

  it('answers a cache miss with one SELECT: the key and its older-schema keys in one IN query', async () => {
    // Spied before the cache connects: @keyv/sqlite binds the connection's `all` once.
    const all = vi.spyOn(sqlite3.Database.prototype, 'all');
    cleanups.push(async () => all.mockRestore());
    const cache = new MetadataCache(`sqlite://${await file()}`);
    cleanups.push(() => cache.close());
    await cache.stats();
    all.mockClear();
    expect(await cache.get(makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us'))).toBeUndefined();
    // The store's `PRAGMA synchronous` (sent after the WAL one) may still be on its way.
    const statements = all.mock.calls
      .map((call) => String(call[0]))
      .filter((sql) => !sql.startsWith('PRAGMA'));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^SELECT .* WHERE key IN /);
  });

  it('a file that is not a database fails each operation with a StoreError naming the file', async () => {
    const f = await file('broken.sqlite');
    await writeFile(f, 'not a database '.repeat(100));
    const store = createKeyValueStore(`sqlite://${f}`, 'state');
    cleanups.push(() => store.close());
    const error = await store.get('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/broken\.sqlite.*not a database/);
    await expect(store.set('a', 1)).rejects.toThrow(/broken\.sqlite/);
  });
});
