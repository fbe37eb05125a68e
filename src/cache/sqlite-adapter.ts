import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * A Keyv storage adapter on better-sqlite3, for the cache and the bridge's state.
 *
 * Why not @keyv/sqlite: it drives node-sqlite3, which prepares a fresh statement and crosses the
 * libuv thread pool for every get and set; in the bridge benchmark that was the largest single
 * cost of a warm backfill. Here statements are prepared once and run synchronously — a keyed
 * read or upsert of one row in WAL mode takes microseconds, less than the round trip alone.
 *
 * The table is the one @keyv/sqlite creates (`keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)`),
 * so files written before stay readable.
 */
export class SqliteKeyvAdapter extends EventEmitter {
  /** Read by Keyv: the dialect makes it offer `iterator()`. */
  readonly opts: { dialect: 'sqlite'; url: string };
  /** Set by Keyv to its namespace; `clear()` and `iterator()` stay inside it. */
  namespace?: string;
  readonly #file: string;
  readonly #busyTimeoutMs: number;
  #opened?: Opened;
  /** Writes not yet committed (newest value per key), read back by `get`. */
  readonly #pending = new Map<string, string>();
  #batch: Batch | undefined;

  constructor(file: string, options: { busyTimeoutMs?: number } = {}) {
    super();
    this.#file = path.resolve(file);
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.opts = { dialect: 'sqlite', url: `sqlite://${this.#file}` };
  }

  /**
   * Opens on first use, so a broken file (not a database, unwritable directory) is an error of
   * each operation — which the cache reports as a miss — rather than of the constructor.
   */
  get #db(): Opened {
    if (this.#opened) return this.#opened;
    let db: Database.Database | undefined;
    try {
      // A fresh data dir is normal on first start.
      mkdirSync(path.dirname(this.#file), { recursive: true });
      db = new Database(this.#file, { timeout: this.#busyTimeoutMs });
      // WAL with synchronous=NORMAL: a commit does not wait for an fsync; a power cut can lose
      // the last commits, never corrupt the file. Refused (read-only file): the default journal.
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      } catch {}
      db.exec('CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)');
      this.#opened = prepare(db);
      return this.#opened;
    } catch (error) {
      db?.close();
      throw new Error(`SQLite file ${this.#file}: ${(error as Error).message}`, { cause: error });
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.#pending.get(key) ?? this.#db.get.get(key)?.value;
  }

  async getMany(keys: string[]): Promise<(string | undefined)[]> {
    this.#commit();
    const found = new Map(this.#db.getMany.all(JSON.stringify(keys)).map((r) => [r.key, r.value]));
    return keys.map((k) => found.get(k));
  }

  /**
   * Group commit: writes arriving in the same turn of the event loop (many items finish at
   * once in a backfill) are committed in one transaction just after it, and each `set` resolves
   * only once its transaction is committed. One transaction per write cost ~90 µs of the main
   * thread each; a shared one costs a few µs per row.
   */
  set(key: string, value: string): Promise<boolean> {
    this.#pending.set(key, value);
    if (!this.#batch) {
      const batch: Batch = { done: undefined as unknown as Promise<boolean> };
      batch.done = new Promise<boolean>((resolve, reject) =>
        setImmediate(() => {
          if (this.#batch === batch) this.#batch = undefined;
          try {
            this.#commit();
            if (batch.error) reject(batch.error);
            else resolve(true);
          } catch (error) {
            reject(error);
          }
        }),
      );
      this.#batch = batch;
    }
    return this.#batch.done;
  }

  async delete(key: string): Promise<boolean> {
    this.#commit();
    return this.#db.delete.run(key).changes > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    this.#commit();
    const { db, delete: del } = this.#db;
    const remove = db.transaction((all: string[]) => all.reduce((n, k) => n + del.run(k).changes, 0));
    return remove(keys) > 0;
  }

  async has(key: string): Promise<boolean> {
    return this.#pending.has(key) || this.#db.get.get(key) !== undefined;
  }

  /** Deletes this namespace's keys (every key without a namespace). */
  async clear(): Promise<void> {
    this.#commit();
    if (!this.namespace) this.#db.db.exec('DELETE FROM keyv');
    else this.#db.db.prepare('DELETE FROM keyv WHERE substr(key, 1, ?) = ?').run(...this.#prefixArgs());
  }

  /** Raw `[key, serialized]` pairs of a namespace, read in pages so a large cache is not loaded at once. */
  async *iterator(namespace?: string): AsyncGenerator<[string, string]> {
    this.#commit();
    const prefix = namespace ?? this.namespace;
    const { db } = this.#db;
    const page = prefix
      ? db.prepare<[number, string, string, number], { key: string; value: string }>(
          'SELECT key, value FROM keyv WHERE substr(key, 1, ?) = ? AND key > ? ORDER BY key LIMIT ?',
        )
      : undefined;
    const all = db.prepare<[string, number], { key: string; value: string }>(
      'SELECT key, value FROM keyv WHERE key > ? ORDER BY key LIMIT ?',
    );
    let after = '';
    while (true) {
      const rows = page ? page.all(`${prefix}:`.length, `${prefix}:`, after, 200) : all.all(after, 200);
      if (rows.length === 0) return;
      for (const row of rows) yield [row.key, row.value];
      after = (rows[rows.length - 1] as { key: string }).key;
    }
  }

  async disconnect(): Promise<void> {
    if (this.#pending.size > 0) this.#commit();
    if (this.#opened?.db.open) this.#opened.db.close();
  }

  /**
   * Commits every pending write in one transaction (a no-op when there are none). A failure is
   * also the failure of the batch's `set` calls, whoever triggered the commit.
   */
  #commit(): void {
    if (this.#pending.size === 0) return;
    const rows = [...this.#pending];
    this.#pending.clear();
    try {
      const { db, set } = this.#db;
      db.transaction(() => {
        for (const [k, v] of rows) set.run(k, v);
      })();
    } catch (error) {
      if (this.#batch) this.#batch.error = error;
      throw error;
    }
  }

  #prefixArgs(): [number, string] {
    const prefix = `${this.namespace}:`;
    return [prefix.length, prefix];
  }
}

interface Batch {
  done: Promise<boolean>;
  error?: unknown;
}

interface Opened {
  db: Database.Database;
  get: Database.Statement<[string], { value: string }>;
  set: Database.Statement<[string, string]>;
  delete: Database.Statement<[string]>;
  getMany: Database.Statement<[string], { key: string; value: string }>;
}

function prepare(db: Database.Database): Opened {
  return {
    db,
    get: db.prepare('SELECT value FROM keyv WHERE key = ?'),
    set: db.prepare(
      'INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    delete: db.prepare('DELETE FROM keyv WHERE key = ?'),
    getMany: db.prepare('SELECT key, value FROM keyv WHERE key IN (SELECT value FROM json_each(?))'),
  };
}
