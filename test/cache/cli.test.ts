import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeCacheKey } from '../../src/cache/keys.js';
import { MetadataCache } from '../../src/cache/metadata-cache.js';
import { main } from '../../src/cli/main.js';
import { foundResult } from './contract.js';

describe('abs-bridge cache', () => {
  let dir: string;
  let configPath: string;
  let out: string[];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cache-cli-'));
    configPath = path.join(dir, 'config.json');
    await writeFile(configPath, JSON.stringify({ dataDir: dir, logging: { level: 'silent' } }));
    const cache = new MetadataCache(`sqlite://${path.join(dir, 'cache.sqlite')}`);
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

  it('stats counts entries per provider on the default SQLite file', async () => {
    expect(await run('stats', '--json')).toBe(0);
    const stats = JSON.parse(out.join(''));
    expect(stats).toMatchObject({
      backend: 'sqlite',
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
