import { EventEmitter } from 'node:events';
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { atomicWrite } from '../fs/atomic-write.js';
import { acquireFileLock, releaseFileLock } from './file-lock.js';

/** Marks a file as ours; anything else at the path is treated as unreadable. */
export const FILE_CACHE_FORMAT = 'abs-metadata-bridge-cache/1';

/** One stored entry: Keyv's serialised `{value, expires}` JSON text and its expiry (epoch ms). */
interface Entry {
  raw: string;
  expires: number | undefined;
}

export interface FileKeyvOptions {
  /** Told (once, at open) when the file could not be read and the cache starts empty. */
  onDiscarded?: (message: string) => void;
}

/**
 * A Keyv storage adapter keeping the cache in one JSON file, one entry per line:
 *
 * ```
 * {"format":"abs-metadata-bridge-cache/1","entries":{
 * "cache:2.0.0:audnexus:asin:B017V4IM1G:us":{"value":{…},"expires":1767312000000}
 * }}
 * ```
 *
 * The whole file is read at open and held in memory; writes of one event-loop turn are saved
 * together by rewriting the file atomically (temp file, fsync, rename), and each `set` resolves
 * once its save is done. A file that is not valid JSON of this format (truncated, half-written by
 * another tool, edited badly) is moved to `<file>.corrupt`, reported through `onDiscarded`, and the
 * cache starts empty. One process holds a file at a time (`<file>.lock`); inside a process every
 * store on the same path shares one copy, so namespaces and several openers see each other's writes.
 *
 * Why not keyv-file (5.3.5, the npm adapter): each instance keeps its own copy and rewrites the
 * whole file, so two stores on one path lose each other's writes; `clear()` empties every
 * namespace; `deleteMany` stops at the first missing key; writes are not atomic; its lock hooks
 * SIGINT and exits the process.
 */
export class FileKeyvAdapter extends EventEmitter {
  /** Read by Keyv; the dialect is not one Keyv iterates itself (the store lists entries through `iterator`). */
  readonly opts: { dialect: 'file'; url: string };
  /** Set by Keyv to its namespace; `clear()` stays inside it. */
  namespace?: string;
  readonly #file: CacheFile;
  #closed = false;

  /** Opens (or joins) the file; throws FileInUseError when another process holds it. */
  constructor(file: string, options: FileKeyvOptions = {}) {
    super();
    this.#file = CacheFile.open(path.resolve(file), options);
    this.opts = { dialect: 'file', url: `file://${this.#file.path}` };
  }

  async get(key: string): Promise<string | undefined> {
    return this.#file.entries.get(key)?.raw;
  }

  async getMany(keys: string[]): Promise<(string | undefined)[]> {
    return keys.map((k) => this.#file.entries.get(k)?.raw);
  }

  async set(key: string, raw: string, ttlMs?: number): Promise<boolean> {
    const expires = typeof ttlMs === 'number' && ttlMs > 0 ? Date.now() + ttlMs : undefined;
    this.#file.entries.set(key, { raw, expires });
    await this.#file.save();
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#file.entries.delete(key);
    if (existed) await this.#file.save();
    return existed;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    let removed = 0;
    for (const key of keys) if (this.#file.entries.delete(key)) removed++;
    if (removed > 0) await this.#file.save();
    return removed > 0;
  }

  async has(key: string): Promise<boolean> {
    const entry = this.#file.entries.get(key);
    return entry !== undefined && !isExpired(entry, Date.now());
  }

  /** Deletes this namespace's keys (every key when there is no namespace). */
  async clear(): Promise<void> {
    const prefix = this.namespace ? `${this.namespace}:` : '';
    for (const key of [...this.#file.entries.keys()])
      if (key.startsWith(prefix)) this.#file.entries.delete(key);
    await this.#file.save();
  }

  /** `[key, serialised]` pairs of a namespace, from a snapshot (writes meanwhile do not disturb it). */
  async *iterator(namespace?: string): AsyncGenerator<[string, string]> {
    const prefix = (namespace ?? this.namespace) ? `${namespace ?? this.namespace}:` : '';
    const snapshot = [...this.#file.entries].filter(([key]) => key.startsWith(prefix));
    for (const [key, entry] of snapshot) yield [key, entry.raw];
  }

  /** Saves what is pending; the last store of the file in this process releases its lock. */
  async disconnect(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#file.release();
  }
}

function isExpired(entry: Entry, now: number): boolean {
  return entry.expires !== undefined && entry.expires <= now;
}

/** The file as this process holds it: entries, lock, and the writer. One per path, reference-counted. */
class CacheFile {
  static readonly #open = new Map<string, CacheFile>();

  static open(file: string, options: FileKeyvOptions): CacheFile {
    const existing = CacheFile.#open.get(file);
    if (existing) {
      existing.#refs++;
      return existing;
    }
    const lockFile = acquireFileLock(file);
    const opened = new CacheFile(file, lockFile);
    try {
      const problem = opened.#load();
      if (problem) options.onDiscarded?.(problem);
    } catch (error) {
      releaseFileLock(lockFile);
      throw new Error(`cache file ${file}: ${(error as Error).message}`, { cause: error });
    }
    CacheFile.#open.set(file, opened);
    return opened;
  }

  readonly path: string;
  readonly entries = new Map<string, Entry>();
  readonly #lockFile: string;
  #refs = 1;
  #released = false;
  /** A save not yet started: writes meanwhile join it. */
  #queued: Promise<void> | undefined;
  /** The latest save, started or queued. */
  #last: Promise<void> = Promise.resolve();

  private constructor(file: string, lockFile: string) {
    this.path = file;
    this.#lockFile = lockFile;
  }

  /**
   * Saves every entry soon: one save per event-loop turn, one at a time; a failed save rejects
   * the writes that waited for it (the next one tries again with everything).
   */
  save(): Promise<void> {
    if (this.#queued) return this.#queued;
    const previous = this.#last;
    const queued = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => previous.catch(() => undefined))
      .then(async () => {
        this.#queued = undefined;
        await atomicWrite(this.path, this.#render(Date.now()));
      });
    this.#queued = queued;
    this.#last = queued;
    return queued;
  }

  /**
   * The last store of this process to close waits for the pending save, then gives the path up.
   * Until then the file stays registered, so a store opened meanwhile joins it instead of
   * reading a file whose last save is still under way.
   */
  async release(): Promise<void> {
    this.#refs--;
    if (this.#refs > 0) return;
    try {
      await this.#last;
    } finally {
      if (this.#refs === 0 && !this.#released) {
        this.#released = true;
        CacheFile.#open.delete(this.path);
        releaseFileLock(this.#lockFile);
      }
    }
  }

  /** The file's text; expired entries are dropped here, so the file does not grow with dead ones. */
  #render(now: number): string {
    const lines: string[] = [];
    for (const [key, entry] of this.entries) {
      if (isExpired(entry, now)) this.entries.delete(key);
      else lines.push(`${JSON.stringify(key)}:${entry.raw}`);
    }
    const body = lines.length ? `\n${lines.join(',\n')}\n` : '\n';
    return `{"format":${JSON.stringify(FILE_CACHE_FORMAT)},"entries":{${body}}}\n`;
  }

  /**
   * Reads the file into `entries`. Returns what was wrong when the content was unusable (the file
   * is then moved aside and the cache starts empty); throws only when the file cannot be read.
   */
  #load(): string | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = parseFile(text);
    if (typeof parsed === 'string') return this.#discard(parsed, text.length > 0);
    const now = Date.now();
    let dropped = 0;
    for (const [key, value] of Object.entries(parsed)) {
      const entry = entryOf(value);
      if (!entry) dropped++;
      else if (!isExpired(entry, now)) this.entries.set(key, entry);
    }
    return dropped ? `cache file ${this.path}: ${dropped} unreadable entries dropped` : undefined;
  }

  #discard(problem: string, keep: boolean): string {
    if (!keep) return `cache file ${this.path} was empty; starting an empty cache`;
    const aside = `${this.path}.corrupt`;
    renameSync(this.path, aside);
    return `cache file ${this.path} was unreadable (${problem}); moved to ${aside}, starting an empty cache`;
  }
}

/** The entries object of a cache file, or what is wrong with the text. */
function parseFile(text: string): Record<string, unknown> | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the fault; one line, short, for the log.
    return (error as Error).message.replace(/\s+/g, ' ').slice(0, 160);
  }
  const file = data as { format?: unknown; entries?: unknown } | null;
  if (!file || typeof file !== 'object' || file.format !== FILE_CACHE_FORMAT) {
    return `not a ${FILE_CACHE_FORMAT} file`;
  }
  if (!file.entries || typeof file.entries !== 'object' || Array.isArray(file.entries)) {
    return 'no "entries" object';
  }
  return file.entries as Record<string, unknown>;
}

function entryOf(value: unknown): Entry | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const expires = (value as { expires?: unknown }).expires;
  if (expires !== undefined && expires !== null && typeof expires !== 'number') return undefined;
  return { raw: JSON.stringify(value), expires: expires ?? undefined };
}
