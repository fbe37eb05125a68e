import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MockProviderServer, startMockProviderServer } from '../../mocks/providers/index.js';
import { main } from '../../src/cli/main.js';

const localOff = {
  tags: { enabled: false },
  sidecars: { enabled: false },
  libation: { enabled: false },
  folder: { enabled: false },
};

/** Two books the mock providers know and one none of them does (a negative entry for each). */
const CONTEXTS = [
  { title: "Harry Potter and the Sorcerer's Stone", authors: ['J.K. Rowling'], durationSeconds: 498 * 60 },
  { asin: 'B017V4IM1G' },
  { title: 'Zzyzx Qwerty Plonk', authors: ['Nobody Known'] },
];

describe('abs-bridge identify twice with cache.url = file://', () => {
  let mock: MockProviderServer;
  let dir: string;
  let cacheFile: string;
  let config: string;
  let contexts: string;
  let out: string[];
  let err: string[];
  beforeAll(async () => {
    mock = await startMockProviderServer({ port: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'file-identify-'));
    cacheFile = path.join(dir, 'cache', 'providers.json');
    config = path.join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        dataDir: path.join(dir, 'data'),
        cache: { url: pathToFileURL(cacheFile).href },
        logging: { level: 'silent' },
        providers: { ...mock.providersConfig(), local: localOff },
      }),
    );
    contexts = path.join(dir, 'contexts.jsonl');
    writeFileSync(contexts, CONTEXTS.map((c) => JSON.stringify(c)).join('\n'));
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** One CLI run; its results without the parts that differ between a fetch and a cache hit. */
  async function identify(): Promise<{ code: number; requests: number; results: unknown[] }> {
    const before = mock.requests.length;
    out.length = 0;
    const code = await main([
      'node',
      'abs-bridge',
      '--config',
      config,
      'identify',
      '--context',
      contexts,
      '--json',
    ]);
    const results = out
      .join('')
      .trim()
      .split('\n')
      .map((line) => {
        const { decision, metadata, sources } = JSON.parse(line);
        return { decision, metadata, sources };
      });
    return { code, requests: mock.requests.length - before, results };
  }

  it('the second run asks no provider and gives the same answers', { timeout: 60_000 }, async () => {
    const first = await identify();
    expect(first.code).toBe(0);
    expect(first.requests).toBeGreaterThan(5);
    expect(first.results.map((r) => (r as { decision: string }).decision)).toEqual([
      'apply',
      'apply',
      'reject',
    ]);
    expect(existsSync(cacheFile)).toBe(true);

    const second = await identify();
    expect(second.code).toBe(0);
    expect(second.requests).toBe(0);
    expect(second.results).toEqual(first.results);
    expect(existsSync(`${cacheFile}.lock`)).toBe(false);
  });

  it('a cache file truncated between runs costs requests, not a crash', { timeout: 60_000 }, async () => {
    const first = await identify();
    const text = await readFile(cacheFile, 'utf8');
    await writeFile(cacheFile, text.slice(0, Math.floor(text.length / 2)));

    const second = await identify();
    expect(second.code).toBe(0);
    expect(second.requests).toBe(first.requests);
    expect(second.results).toEqual(first.results);
    // The half file is kept for a look; a fresh one replaced it.
    expect(existsSync(`${cacheFile}.corrupt`)).toBe(true);

    const third = await identify();
    expect(third.requests).toBe(0);
    expect(third.results).toEqual(first.results);
  });
});
