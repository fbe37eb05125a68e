import { describe, expect, it } from 'vitest';
import type { AbsMediaPatch } from '../../src/abs/types.js';
import { catalogueKeys, serializeCatalogueWrites } from '../../src/bridge/pipeline/catalogue-writes.js';
import type { BridgeAbs } from '../../src/bridge/ports.js';

/** A fake ABS whose PATCH takes 30 ms and records when each one ran. */
function recordingAbs(failFor?: string) {
  const spans: { id: string; start: number; end: number }[] = [];
  const abs = {
    async patchMedia(id: string) {
      const start = performance.now();
      await new Promise((r) => setTimeout(r, 30));
      spans.push({ id, start, end: performance.now() });
      if (id === failFor) throw new Error('ABS said no');
      return { updated: true, libraryItem: {} };
    },
  } as unknown as BridgeAbs;
  return { abs: serializeCatalogueWrites(abs), spans };
}

const withSeries = (name: string, author = 'Someone'): AbsMediaPatch => ({
  metadata: { series: [{ name, sequence: '1' }], authors: [{ name: author }] },
});
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

describe('serializeCatalogueWrites', () => {
  it('sends PATCHes naming the same series one after another (ABS would insert it twice and die)', async () => {
    const { abs, spans } = recordingAbs();
    await Promise.all([
      abs.patchMedia('a', withSeries('Kessel Chronicles', 'Ada')),
      abs.patchMedia('b', withSeries('kessel chronicles ', 'Bram')),
    ]);
    expect(overlaps(spans[0] as never, spans[1] as never)).toBe(false);
  });

  it('sends PATCHes naming the same author one after another, and unrelated ones side by side', async () => {
    const { abs, spans } = recordingAbs();
    await Promise.all([
      abs.patchMedia('a', withSeries('One', 'Ada Marlowe')),
      abs.patchMedia('b', withSeries('Two', 'ADA MARLOWE')),
      abs.patchMedia('c', withSeries('Three', 'Cora Quist')),
    ]);
    const by = Object.fromEntries(spans.map((s) => [s.id, s]));
    expect(overlaps(by.a as never, by.b as never)).toBe(false);
    expect(overlaps(by.a as never, by.c as never) || overlaps(by.b as never, by.c as never)).toBe(true);
  });

  it('a failed PATCH does not hold the next one back, and its error reaches its caller', async () => {
    const { abs, spans } = recordingAbs('a');
    const [a, b] = await Promise.allSettled([
      abs.patchMedia('a', withSeries('Same')),
      abs.patchMedia('b', withSeries('Same')),
    ]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('fulfilled');
    expect(spans.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('keys are the author and series names, case and spacing at the ends ignored', () => {
    expect(catalogueKeys({ metadata: { publisher: 'X' } })).toEqual([]);
    expect(catalogueKeys(withSeries(' Dune ', 'Frank Herbert'))).toEqual([
      'author:frank herbert',
      'series:dune',
    ]);
  });
});
