import { describe, expect, it } from 'vitest';
import { coalesceItemReads } from '../../src/bridge/pipeline/item-reads.js';
import type { AbsItem, BridgeAbs } from '../../src/bridge/ports.js';

const item = (id: string) => ({ id, libraryId: 'lib', mediaType: 'book', media: {} }) as unknown as AbsItem;

/** A stand-in ABS that knows items a..z and records the calls it gets. */
function stubAbs(opts: { batchFails?: boolean; known?: Set<string> } = {}) {
  const calls: string[] = [];
  const known = opts.known ?? new Set('abcdefghijklmnopqrstuvwxyz'.split(''));
  const abs = {
    async getItem(id: string, o: { expanded?: boolean } = {}) {
      calls.push(`get ${id}${o.expanded ? ' expanded' : ''}`);
      return known.has(id) ? item(id) : null;
    },
    async batchGet(ids: string[]) {
      calls.push(`batch ${ids.join(',')}`);
      if (opts.batchFails) throw new Error('batch refused');
      // Database order, not request order; unknown ids left out.
      return [...ids]
        .sort()
        .reverse()
        .filter((id) => known.has(id))
        .map(item);
    },
  } as unknown as BridgeAbs;
  return { abs, calls };
}

describe('coalesced expanded item reads', () => {
  it('reads issued together become one batch get, matched back by id', async () => {
    const { abs, calls } = stubAbs();
    const reads = coalesceItemReads(abs);
    const got = await Promise.all(['c', 'a', 'b'].map((id) => reads.getItem(id, { expanded: true })));
    expect(got.map((i) => i?.id)).toEqual(['c', 'a', 'b']);
    expect(calls).toEqual(['batch c,a,b']);
  });

  it('a read alone uses the plain GET; non-expanded reads are never batched', async () => {
    const { abs, calls } = stubAbs();
    const reads = coalesceItemReads(abs);
    expect((await reads.getItem('a', { expanded: true }))?.id).toBe('a');
    await Promise.all([reads.getItem('b'), reads.getItem('c')]);
    expect(calls).toEqual(['get a expanded', 'get b', 'get c']);
  });

  it('an id the batch did not return is read alone (null when ABS has no such item)', async () => {
    const { abs, calls } = stubAbs({ known: new Set(['a', 'b']) });
    const reads = coalesceItemReads(abs);
    const got = await Promise.all(['a', 'gone', 'b'].map((id) => reads.getItem(id, { expanded: true })));
    expect(got.map((i) => i?.id ?? null)).toEqual(['a', null, 'b']);
    expect(calls).toEqual(['batch a,gone,b', 'get gone expanded']);
  });

  it('a failed batch falls back to one GET per item', async () => {
    const { abs, calls } = stubAbs({ batchFails: true });
    const reads = coalesceItemReads(abs);
    const got = await Promise.all(['a', 'b'].map((id) => reads.getItem(id, { expanded: true })));
    expect(got.map((i) => i?.id)).toEqual(['a', 'b']);
    expect(calls).toEqual(['batch a,b', 'get a expanded', 'get b expanded']);
  });

  it('splits large bursts into batches of at most maxBatch', async () => {
    const { abs, calls } = stubAbs();
    const reads = coalesceItemReads(abs, 4);
    const ids = 'abcdefghij'.split('');
    const got = await Promise.all(ids.map((id) => reads.getItem(id, { expanded: true })));
    expect(got.map((i) => i?.id)).toEqual(ids);
    expect(calls).toEqual(['batch a,b,c,d', 'batch e,f,g,h', 'batch i,j']);
  });

  it('passes other methods through, and leaves a client without batchGet alone', async () => {
    const { abs, calls } = stubAbs();
    const plain = { getItem: abs.getItem } as unknown as BridgeAbs;
    const direct = coalesceItemReads(plain);
    direct.readAhead(['a', 'b']);
    await Promise.all([direct.getItem('a', { expanded: true }), direct.getItem('b', { expanded: true })]);
    expect(calls).toEqual(['get a expanded', 'get b expanded']);
    calls.length = 0;
    const reads = coalesceItemReads(abs);
    expect(reads.batchGet).toBeTypeOf('function');
    expect(await reads.batchGet?.(['a'])).toHaveLength(1);
  });
});

describe('reading ahead', () => {
  it('items read ahead in one batch are handed to their reads one by one, with no request each', async () => {
    const { abs, calls } = stubAbs();
    const reads = coalesceItemReads(abs);
    reads.readAhead(['a', 'b', 'c']);
    expect((await reads.getItem('b', { expanded: true }))?.id).toBe('b');
    await new Promise((r) => setTimeout(r, 20));
    expect((await reads.getItem('a', { expanded: true }))?.id).toBe('a');
    expect(calls).toEqual(['batch a,b,c']);
    // Used once: a second read of the same item asks ABS again.
    await reads.getItem('a', { expanded: true });
    expect(calls).toEqual(['batch a,b,c', 'get a expanded']);
  });

  it('an answer older than the window, an id the batch left out, or a failed batch is read again', async () => {
    const { abs, calls } = stubAbs({ known: new Set(['a', 'b']) });
    const reads = coalesceItemReads(abs, 50, 30);
    reads.readAhead(['a', 'gone']);
    await new Promise((r) => setTimeout(r, 60));
    expect((await reads.getItem('a', { expanded: true }))?.id).toBe('a');
    expect(await reads.getItem('gone', { expanded: true })).toBeNull();
    expect(calls).toEqual(['batch a,gone', 'get a expanded', 'get gone expanded']);
    const failing = stubAbs({ batchFails: true });
    const again = coalesceItemReads(failing.abs);
    again.readAhead(['c']);
    expect((await again.getItem('c', { expanded: true }))?.id).toBe('c');
    expect(failing.calls).toEqual(['batch c', 'get c expanded']);
  });
});
