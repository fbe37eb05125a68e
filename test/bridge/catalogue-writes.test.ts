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

/** As recordingAbs, with items to read: each in library `lib` carrying `author` (and `series`). */
function readingAbs(items: Record<string, { author: string; series?: string; lib?: string }>) {
  const spans: { id: string; start: number; end: number }[] = [];
  const abs = {
    async getItem(id: string) {
      const i = items[id];
      if (!i) return null;
      return {
        id,
        libraryId: i.lib ?? 'lib',
        media: {
          metadata: {
            authors: [{ name: i.author }],
            series: i.series ? [{ name: i.series, sequence: '1' }] : [],
          },
        },
      };
    },
    async patchMedia(id: string) {
      const start = performance.now();
      await new Promise((r) => setTimeout(r, 30));
      spans.push({ id, start, end: performance.now() });
      return { updated: true, libraryItem: {} };
    },
  } as unknown as BridgeAbs;
  const wrapped = serializeCatalogueWrites(abs);
  const by = () =>
    Object.fromEntries(spans.map((s) => [s.id, s])) as Record<string, { start: number; end: number }>;
  return { abs: wrapped, by };
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

  it('names the items already carry exist in ABS: PATCHes naming them run side by side', async () => {
    const { abs, by } = readingAbs({ a: { author: 'Ada Marlowe' }, b: { author: 'ada marlowe' } });
    await Promise.all([abs.getItem('a', { expanded: true }), abs.getItem('b', { expanded: true })]);
    await Promise.all([
      abs.patchMedia('a', { metadata: { authors: [{ name: 'Ada Marlowe' }], publisher: 'P' } }),
      abs.patchMedia('b', { metadata: { authors: [{ name: 'Ada Marlowe' }], publisher: 'Q' } }),
    ]);
    expect(overlaps(by().a as never, by().b as never)).toBe(true);
  });

  it('a new name waits once: after a PATCH created it, later PATCHes naming it run side by side', async () => {
    const { abs, by } = readingAbs({
      a: { author: 'Ada' },
      b: { author: 'Bram' },
      c: { author: 'Cora' },
      d: { author: 'Dmitri' },
    });
    for (const id of ['a', 'b', 'c', 'd']) await abs.getItem(id, { expanded: true });
    const series = (author: string): AbsMediaPatch => withSeries('Veyra Chronicles', author);
    await Promise.all([abs.patchMedia('a', series('Ada')), abs.patchMedia('b', series('Bram'))]);
    expect(overlaps(by().a as never, by().b as never)).toBe(false);
    await Promise.all([abs.patchMedia('c', series('Cora')), abs.patchMedia('d', series('Dmitri'))]);
    expect(overlaps(by().c as never, by().d as never)).toBe(true);
  });

  it('a name is new again in another library, and once a PATCH drops it from its item', async () => {
    const { abs, by } = readingAbs({
      a: { author: 'Ada', lib: 'one' },
      b: { author: 'Bram', lib: 'two' },
      c: { author: 'Greta', lib: 'two' },
      d: { author: 'Cora', series: 'Kessel', lib: 'three' },
      e: { author: 'Cora', lib: 'three' },
      f: { author: 'Cora', lib: 'three' },
    });
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await abs.getItem(id, { expanded: true });
    // "Ada" exists in library one only: two books of library two naming it both create it.
    await Promise.all([
      abs.patchMedia('b', { metadata: { authors: [{ name: 'Ada' }] } }),
      abs.patchMedia('c', { metadata: { authors: [{ name: 'Ada' }] } }),
    ]);
    expect(overlaps(by().b as never, by().c as never)).toBe(false);
    // d drops series Kessel (its only book there): Kessel may be gone, so e and f naming it wait.
    await abs.patchMedia('d', { metadata: { series: [] } });
    await Promise.all([
      abs.patchMedia('e', withSeries('Kessel', 'Cora')),
      abs.patchMedia('f', withSeries('Kessel', 'Cora')),
    ]);
    expect(overlaps(by().e as never, by().f as never)).toBe(false);
  });

  it('keys are the author and series names, case and spacing at the ends ignored', () => {
    expect(catalogueKeys({ metadata: { publisher: 'X' } })).toEqual([]);
    expect(catalogueKeys(withSeries(' Dune ', 'Frank Herbert'))).toEqual([
      'author:frank herbert',
      'series:dune',
    ]);
  });
});
