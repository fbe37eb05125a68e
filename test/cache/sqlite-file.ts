import sqlite3 from 'sqlite3';
import type { BridgeItemRecord } from '../../src/bridge/state/state-store.js';

/** A bridge item record as the state store keeps it. */
export function itemRecord(itemId: string, extra: Partial<BridgeItemRecord> = {}): BridgeItemRecord {
  return {
    itemId,
    libraryId: 'lib',
    decision: 'apply',
    confidence: 0.9,
    reason: 'x',
    updatedAt: '2026-11-25T00:00:00.000Z',
    history: [],
    ...extra,
  };
}

/** A direct connection to a SQLite file, for tests that look under the store (or build a file by hand). */
export interface RawSqlite {
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openRawSqlite(file: string): Promise<RawSqlite> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
  });
  return {
    all: <T>(sql: string, ...params: unknown[]) =>
      new Promise<T[]>((resolve, reject) =>
        db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))),
      ),
    close: () => new Promise<void>((resolve, reject) => db.close((e) => (e ? reject(e) : resolve()))),
  };
}

/**
 * A file exactly as the hand-written better-sqlite3 adapter (before @keyv/sqlite came back) left
 * it: WAL journal, its `CREATE TABLE` statement, `<namespace>:<key>` keys, Keyv-serialised values.
 */
export async function writeOldLayoutFile(file: string, rows: [key: string, value: string][]): Promise<void> {
  const db = await openRawSqlite(file);
  await db.all('PRAGMA journal_mode = WAL');
  await db.all('PRAGMA synchronous = NORMAL');
  await db.all('CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)');
  for (const [key, value] of rows)
    await db.all(
      'INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      key,
      value,
    );
  await db.close();
}
