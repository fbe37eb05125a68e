import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withFileFingerprintCache } from '../../src/cache/file-fingerprint.js';
import { MetadataCache } from '../../src/cache/metadata-cache.js';
import type { LookupContext } from '../../src/domain/lookup.js';
import { emptyResult } from '../../src/domain/provider-result.js';
import type { AsyncProvider } from '../../src/providers/types.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function reader(): AsyncProvider & { reads: number } {
  const p = {
    id: 'local-tags',
    kind: 'local',
    mode: 'async',
    weight: 1,
    reads: 0,
    capabilities: { idTypes: ['search'], supportsBatch: false, maxBatchSize: 1 },
    async lookup() {
      p.reads += 1;
      return { ...emptyResult('local-tags'), success: true, fields: { title: `read ${p.reads}` } };
    },
  };
  return p as unknown as AsyncProvider & { reads: number };
}

describe('file-fingerprint cache (local-tags)', () => {
  it('reads the files once while they are unchanged, again when one changes or on refresh', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fp-cache-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'a.mp3'), 'one');
    await writeFile(path.join(dir, 'metadata.json'), '{}');
    const inner = reader();
    const cached = withFileFingerprintCache(inner, new MetadataCache('memory://')) as AsyncProvider;
    const ctx = (names: string[]) =>
      ({ path: dir, fileNames: names, authors: [], narrators: [], series: [] }) as unknown as LookupContext;
    const signal = new AbortController().signal;
    const first = await cached.lookup(ctx(['a.mp3']), { signal });
    // A sidecar written since (not audio) does not change the reading.
    const second = await cached.lookup(ctx(['a.mp3', 'metadata.json']), { signal });
    expect(inner.reads).toBe(1);
    expect(second.fields).toEqual(first.fields);
    expect(second.cached).toBe(true);
    await utimes(path.join(dir, 'a.mp3'), new Date(), new Date(Date.now() + 5000));
    await cached.lookup(ctx(['a.mp3']), { signal });
    expect(inner.reads).toBe(2);
    await cached.lookup(ctx(['a.mp3']), { signal, refresh: true });
    expect(inner.reads).toBe(3);
  });

  it('passes through when the item has no reachable audio', async () => {
    const inner = reader();
    const cached = withFileFingerprintCache(inner, new MetadataCache('memory://')) as AsyncProvider;
    const ctx = { fileNames: [], authors: [], narrators: [], series: [] } as unknown as LookupContext;
    const signal = new AbortController().signal;
    await cached.lookup(ctx, { signal });
    await cached.lookup(ctx, { signal });
    expect(inner.reads).toBe(2);
  });
});
