import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_CACHE_FORMAT } from '../../src/cache/file-adapter.js';
import { FileInUseError } from '../../src/cache/file-lock.js';
import { makeCacheKey } from '../../src/cache/keys.js';
import { MetadataCache } from '../../src/cache/metadata-cache.js';
import { createKeyValueStore } from '../../src/cache/store.js';
import { EventBus } from '../../src/events/bus.js';
import { foundResult } from './contract.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = path.join(REPO, 'src/cli/main.ts');
const STORE = path.join(REPO, 'src/cache/store.ts');
const key = makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cacheFile(): Promise<{ file: string; url: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'file-cache-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'cache.json');
  return { file, url: pathToFileURL(file).href };
}

function open(url: string): { cache: MetadataCache; errors: string[] } {
  const events = new EventBus();
  const errors: string[] = [];
  events.on('cache.error', (e) => {
    errors.push(`${e.operation}: ${e.message}`);
  });
  const cache = new MetadataCache(url, { events });
  return { cache, errors };
}

describe('file:// cache', () => {
  it('writes plain JSON a person can read, one entry per line, and reads it back after a restart', async () => {
    const { file, url } = await cacheFile();
    const first = open(url).cache;
    await first.set(key, foundResult(), 3600);
    await first.set(makeCacheKey('itunes', 'search', 'dune|frank herbert', 'us'), foundResult(), 3600);
    await first.close();

    const text = await readFile(file, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(`{"format":"${FILE_CACHE_FORMAT}","entries":{`);
    expect(lines[1]).toMatch(
      /^"cache:2\.0\.0:audnexus:asin:B003P2WO5E:us":\{"value":\{.*"title":"The Way of Kings"/,
    );
    expect(lines).toHaveLength(4);
    expect(JSON.parse(text).entries[`cache:${key}`].value.provider).toBe('audnexus');

    const again = open(url).cache;
    cleanups.push(() => again.close());
    expect(await again.get(key)).toEqual({ ...foundResult(), cached: true });
  });

  it('keeps namespaces apart in one file and clears only its own', async () => {
    const { url } = await cacheFile();
    const cache = createKeyValueStore(url, 'cache');
    const other = createKeyValueStore(url, 'other');
    cleanups.push(
      () => cache.close(),
      () => other.close(),
    );
    await cache.set('a', 1);
    await other.set('a', 2);
    await cache.clear();
    expect(await cache.get('a')).toBeUndefined();
    expect(await other.get('a')).toBe(2);
  });

  it('drops expired entries from the file when it is next saved', async () => {
    const { file, url } = await cacheFile();
    const store = createKeyValueStore(url, 'cache');
    cleanups.push(() => store.close());
    await store.set('short', 1, 20);
    await store.set('long', 2, 60_000);
    await new Promise((r) => setTimeout(r, 40));
    await store.set('new', 3);
    const entries = Object.keys(JSON.parse(await readFile(file, 'utf8')).entries);
    expect(entries).toEqual(['cache:long', 'cache:new']);
  });

  it.each([
    ['half-written', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['not JSON', () => 'garbage\n'],
    ['JSON of something else', () => '{"cache":[]}'],
  ])('a %s file is a logged miss, is moved aside and replaced by a fresh file', async (_name, spoil) => {
    const { file, url } = await cacheFile();
    const first = open(url).cache;
    await first.set(key, foundResult(), 3600);
    await first.close();
    const spoilt = spoil(await readFile(file, 'utf8'));
    await writeFile(file, spoilt);

    const { cache, errors } = open(url);
    cleanups.push(() => cache.close());
    expect(await cache.get(key)).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^open: cache file .*cache\.json was unreadable .*moved to .*cache\.json\.corrupt/,
    );
    expect(await readFile(`${file}.corrupt`, 'utf8')).toBe(spoilt);
    await cache.set(key, foundResult(), 3600);
    expect(JSON.parse(await readFile(file, 'utf8')).format).toBe(FILE_CACHE_FORMAT);
    expect(await cache.get(key)).toMatchObject({ cached: true });
  });

  it('a file truncated to nothing starts an empty cache without moving anything aside', async () => {
    const { file, url } = await cacheFile();
    const first = open(url).cache;
    await first.set(key, foundResult(), 3600);
    await first.close();
    await truncate(file, 0);
    const { cache, errors } = open(url);
    cleanups.push(() => cache.close());
    expect(await cache.get(key)).toBeUndefined();
    expect(errors).toEqual([expect.stringMatching(/was empty/)]);
    expect(existsSync(`${file}.corrupt`)).toBe(false);
  });

  it('drops single unreadable entries and keeps the rest', async () => {
    const { file, url } = await cacheFile();
    await writeFile(
      file,
      `{"format":"${FILE_CACHE_FORMAT}","entries":{\n"cache:a":{"value":1},\n"cache:b":"oops",\n"cache:c":{"value":3,"expires":"soon"}\n}}\n`,
    );
    const events = new EventBus();
    const seen: string[] = [];
    events.on('cache.error', (e) => {
      seen.push(e.message);
    });
    const cache = new MetadataCache(url, { events });
    cleanups.push(() => cache.close());
    expect(seen).toEqual([expect.stringMatching(/2 unreadable entries dropped/)]);
    const store = createKeyValueStore(url, 'cache');
    cleanups.push(() => store.close());
    expect(await store.get('a')).toBe(1);
    expect(await store.get('b')).toBeUndefined();
  });

  it('a store opened while the last one is still closing joins it and loses nothing', async () => {
    const { file, url } = await cacheFile();
    const first = createKeyValueStore(url, 'cache');
    const written = first.set('k', 'v');
    const closing = first.close();
    const second = createKeyValueStore(url, 'cache');
    cleanups.push(() => second.close());
    await Promise.all([written, closing]);
    expect(await second.get('k')).toBe('v');
    await second.set('k2', 'v2');
    expect(existsSync(`${file}.lock`)).toBe(true);
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).entries)).toEqual(['cache:k', 'cache:k2']);
  });

  it('a save that fails is a reported miss of that write; the next save writes everything', async () => {
    const { file, url } = await cacheFile();
    const { cache, errors } = open(url);
    cleanups.push(() => cache.close());
    // A folder where the file goes: the rename of the atomic write fails.
    await mkdir(file);
    await expect(cache.set(key, foundResult(), 3600)).resolves.toBeUndefined();
    expect(errors).toEqual([expect.stringMatching(/^set: .*cache\.json/)]);
    await rm(file, { recursive: true });
    const other = makeCacheKey('itunes', 'search', 'dune|frank herbert', 'us');
    await cache.set(other, foundResult(), 3600);
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).entries)).toHaveLength(2);
  });

  it('saves the writes of one turn together and every write is on disk once it resolves', async () => {
    const { file, url } = await cacheFile();
    const store = createKeyValueStore(url, 'cache');
    cleanups.push(() => store.close());
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.set(`k${i}`, { i })));
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).entries)).toHaveLength(200);
    expect(await store.delete('k7')).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8')).entries['cache:k7']).toBeUndefined();
  });
});

describe('file:// cache used by two processes', () => {
  /** A second real process that opens the store on `url`, says "ready" and waits to be killed. */
  async function holdInChild(url: string): Promise<ChildProcess> {
    const script = `
      const { createKeyValueStore } = await import(${JSON.stringify(pathToFileURL(STORE).href)});
      const store = createKeyValueStore(${JSON.stringify(url)}, 'cache');
      await store.set('from-child', 1);
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
    });
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await gone;
      }
    });
    return child;
  }

  it('a second process is refused with a message naming the holder, until the holder is gone', async () => {
    const { url } = await cacheFile();
    const child = await holdInChild(url);
    let refused: unknown;
    try {
      createKeyValueStore(url, 'cache');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(FileInUseError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `in use by process ${child.pid} .*stop the other bridge or command, or use sqlite:// or redis://`,
      ),
    );
    // SIGKILL: no exit handler runs, the lock file stays behind; its process is gone, so it is stale.
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    const store = createKeyValueStore(url, 'cache');
    cleanups.push(() => store.close());
    expect(await store.get('from-child')).toBe(1);
  });

  it('abs-bridge cache stats in a second process exits non-zero with the same message', async () => {
    const { file, url } = await cacheFile();
    const held = createKeyValueStore(url, 'cache');
    cleanups.push(() => held.close());
    await held.set('x', 1);
    const config = path.join(path.dirname(file), 'config.json');
    await writeFile(config, JSON.stringify({ cache: { url }, logging: { level: 'silent' } }));
    const result = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', MAIN, '-c', config, 'cache', 'stats'],
      { cwd: REPO, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result.code).toBe(1);
    // The CLI prints one line naming the holder and the fix (codes only at --log-level debug).
    expect(result.stderr).toMatch(
      new RegExp(`^abs-bridge: the cache file .* is in use by process ${process.pid} `),
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await held.get('x')).toBe(1);
  });
});
