import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeCacheKey } from '../../src/cache/keys.js';
import { MetadataCache } from '../../src/cache/metadata-cache.js';
import { main } from '../../src/cli/main.js';
import { foundResult } from './contract.js';

/** The default SQLite file under dataDir, and a JSON file named by cache.url. */
const BACKENDS = [
  {
    backend: 'sqlite',
    url: (dir: string) => `sqlite://${path.join(dir, 'cache.sqlite')}`,
    configured: false,
  },
  {
    backend: 'file',
    url: (dir: string) => pathToFileURL(path.join(dir, 'cache.json')).href,
    configured: true,
  },
];

describe.each(BACKENDS)('abs-bridge cache on $backend', ({ backend, url, configured }) => {
  let dir: string;
  let configPath: string;
  let out: string[];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cache-cli-'));
    configPath = path.join(dir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        dataDir: dir,
        logging: { level: 'silent' },
        ...(configured ? { cache: { url: url(dir) } } : {}),
      }),
    );
    const cache = new MetadataCache(url(dir));
    await cache.set(makeCacheKey('audnexus', 'asin', 'B08G9PRS1K', 'us'), foundResult(), 3600);
    await cache.set(
      makeCacheKey('audnexus', 'asin', 'B003P2WO5E', 'us'),
      foundResult({ success: false, fields: {} }),
      3600,
    );
    await cache.set(
      makeCacheKey('itunes', 'search', 'dune|frank herbert', 'us'),
      foundResult({ provider: 'itunes' }),
      3600,
    );
    await cache.close();
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (...args: string[]) => main(['node', 'abs-bridge', '-c', configPath, 'cache', ...args]);

  it('stats counts entries per provider', async () => {
    expect(await run('stats', '--json')).toBe(0);
    const stats = JSON.parse(out.join(''));
    expect(stats).toMatchObject({
      backend,
      entries: 3,
      negative: 1,
      byProvider: { audnexus: 2, itunes: 1 },
    });
    expect(stats.sizeBytes).toBeGreaterThan(0);
  });

  it('invalidate removes matching keys only, then clear removes the rest', async () => {
    expect(await run('invalidate', '2.0.0:audnexus:*')).toBe(0);
    expect(out.join('')).toContain('removed 2 entries');
    out.length = 0;
    await run('stats', '--json');
    expect(JSON.parse(out.join(''))).toMatchObject({ entries: 1, byProvider: { itunes: 1 } });
    out.length = 0;
    expect(await run('clear')).toBe(0);
    expect(out.join('')).toContain('cleared 1 entries');
  });
});
