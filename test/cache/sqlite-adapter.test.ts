import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteKeyvAdapter } from '../../src/cache/sqlite-adapter.js';

describe('SQLite Keyv adapter (better-sqlite3, group commit)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function file(name = 'kv.sqlite'): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'sqlite-adapter-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return path.join(dir, name);
  }
  function open(f: string, namespace = 'ns'): Keyv {
    const keyv = new Keyv({ store: new SqliteKeyvAdapter(f), namespace, throwOnErrors: true });
    cleanups.push(() => keyv.disconnect());
    return keyv;
  }

  it('commits writes of one event-loop turn in one transaction and reads them back at once', async () => {
    const f = await file();
    const keyv = open(f);
    const writes = Array.from({ length: 300 }, (_, i) => keyv.set(`k${i}`, { i }));
    expect(await Promise.all(writes)).toEqual(writes.map(() => true));
    // Another connection sees every row once the writes resolved.
    const other = new Database(f, { readonly: true });
    const count = other.prepare("SELECT count(*) AS n FROM keyv WHERE key LIKE 'ns:k%'").get() as {
      n: number;
    };
    other.close();
    expect(count.n).toBe(300);
  });

  it('reads its own writes before they are committed', async () => {
    const adapter = new SqliteKeyvAdapter(await file());
    cleanups.push(() => adapter.disconnect());
    const write = adapter.set('k', '"v"');
    expect(await adapter.get('k')).toBe('"v"');
    expect(await adapter.has('k')).toBe(true);
    await write;
    expect(await adapter.get('k')).toBe('"v"');
  });

  it('keeps the last value when a key is written twice in one batch', async () => {
    const keyv = open(await file());
    await Promise.all([keyv.set('a', 1), keyv.set('a', 2)]);
    expect(await keyv.get('a')).toBe(2);
  });

  it('deletes, checks, reads many, clears only its namespace and iterates past a page', async () => {
    const f = await file();
    const mine = open(f, 'mine');
    const theirs = open(f, 'theirs');
    await Promise.all(Array.from({ length: 450 }, (_, i) => mine.set(`k${i}`, i)));
    await theirs.set('k1', 'kept');
    expect(await mine.has('k3')).toBe(true);
    expect(await mine.delete('k3')).toBe(true);
    expect(await mine.delete('k3')).toBe(false);
    expect(await mine.getMany(['k1', 'k3', 'k2'])).toEqual([1, undefined, 2]);
    const seen: string[] = [];
    for await (const [key] of mine.iterator?.('mine') ?? []) seen.push(key as string);
    expect(seen).toHaveLength(449);
    await mine.clear();
    expect(await mine.get('k1')).toBeUndefined();
    expect(await theirs.get('k1')).toBe('kept');
  });

  it('a file that is not a database fails each operation with an error naming the file', async () => {
    const f = await file('broken.sqlite');
    await writeFile(f, 'not a database '.repeat(100));
    const keyv = open(f);
    await expect(keyv.get('a')).rejects.toThrow(/broken\.sqlite.*not a database/);
    await expect(keyv.set('a', 1)).rejects.toThrow(/broken\.sqlite/);
  });

  it('a failed commit rejects every write of its batch (nothing reported as saved)', async () => {
    const f = await file();
    const keyv = open(f);
    await keyv.set('warm-up', 1);
    // Make the table refuse writes: a trigger that aborts every insert.
    const db = new Database(f);
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON keyv BEGIN SELECT RAISE(ABORT, 'refused'); END");
    db.close();
    const results = await Promise.allSettled([keyv.set('x', 1), keyv.set('y', 2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await keyv.get('x')).toBeUndefined();
  });

  it('creates the directory of a new file', async () => {
    const f = await file();
    const nested = path.join(path.dirname(f), 'a', 'b', 'state.sqlite');
    const keyv = open(nested);
    await keyv.set('k', 'v');
    expect(await keyv.get('k')).toBe('v');
  });
});
