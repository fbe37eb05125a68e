import { describe, expect, it } from 'vitest';
import type { AbsMediaPatch } from '../../src/abs/types.js';
import { coalesceItemWrites, type WriteBatching } from '../../src/bridge/pipeline/item-writes.js';
import type { AbsItem, BridgeAbs } from '../../src/bridge/ports.js';
import { ItemNotFoundError } from '../../src/errors.js';

const FAST: WriteBatching = { maxBatch: 3, maxInFlight: 1, lingerMs: 20 };

/** A stand-in ABS holding items a..z (publisher only) that records the calls it gets. */
function stubAbs(
  opts: {
    batchFails?: boolean;
    readFails?: boolean;
    gone?: Set<string>;
    noop?: Set<string>;
    patchMs?: number;
  } = {},
) {
  const calls: string[] = [];
  const publisher = new Map<string, string>();
  const exists = (id: string) => !opts.gone?.has(id);
  const item = (id: string) =>
    ({
      id,
      libraryId: 'lib',
      mediaType: 'book',
      media: { metadata: { title: id, publisher: publisher.get(id) ?? null }, tags: [] },
    }) as unknown as AbsItem;
  const apply = (id: string, body: AbsMediaPatch) => {
    if (opts.noop?.has(id)) return false;
    publisher.set(id, (body.metadata as { publisher: string }).publisher);
    return true;
  };
  const abs = {
    async getItem(id: string) {
      calls.push(`get ${id}`);
      return exists(id) ? item(id) : null;
    },
    async patchMedia(id: string, body: AbsMediaPatch) {
      calls.push(`patch ${id}`);
      if (opts.patchMs) await sleep(opts.patchMs);
      if (!exists(id)) throw new ItemNotFoundError(id);
      return { updated: apply(id, body), libraryItem: item(id) };
    },
    async batchUpdate(entries: { id: string; mediaPayload: AbsMediaPatch }[]) {
      calls.push(`update ${entries.map((e) => e.id).join(',')}`);
      if (opts.batchFails || entries.some((e) => !exists(e.id))) throw new ItemNotFoundError('a batch item');
      return entries.filter((e) => apply(e.id, e.mediaPayload)).length;
    },
    async batchGet(ids: string[]) {
      calls.push(`read ${ids.join(',')}`);
      if (opts.readFails) throw new Error('read refused');
      return [...ids].sort().reverse().filter(exists).map(item);
    },
  } as unknown as BridgeAbs;
  return { abs, calls, publisher };
}

const body = (publisher: string): AbsMediaPatch => ({ metadata: { publisher } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('coalesced media writes', () => {
  it('a write with none other in sight goes out at once as a plain PATCH', async () => {
    const { abs, calls } = stubAbs();
    const writes = coalesceItemWrites(abs, FAST);
    const started = Date.now();
    const res = await writes.patchMedia('a', body('A'));
    expect(Date.now() - started).toBeLessThan(FAST.lingerMs);
    expect(res.updated).toBe(true);
    expect(calls).toEqual(['patch a']);
  });

  it('writes arriving together become one batch update and one batch read, matched back by id', async () => {
    const { abs, calls, publisher } = stubAbs();
    const writes = coalesceItemWrites(abs, FAST);
    await writes.patchMedia('z', body('Z'));
    calls.length = 0;
    const got = await Promise.all(['c', 'a', 'b'].map((id) => writes.patchMedia(id, body(id.toUpperCase()))));
    expect(calls).toEqual(['update c,a,b', 'read c,a,b']);
    expect(got.map((r) => [r.libraryItem.id, r.updated])).toEqual([
      ['c', true],
      ['a', true],
      ['b', true],
    ]);
    expect(got.map((r) => r.libraryItem.media.metadata.publisher)).toEqual(['C', 'A', 'B']);
    expect(publisher.get('b')).toBe('B');
  });

  it('splits into batches of at most maxBatch; what queues while a batch is in flight goes next', async () => {
    const { abs, calls } = stubAbs();
    const writes = coalesceItemWrites(abs, FAST);
    const ids = 'abcdefg'.split('');
    await Promise.all(ids.map((id) => writes.patchMedia(id, body(id))));
    expect(calls.filter((c) => c.startsWith('update'))).toEqual(['update a,b,c', 'update d,e,f']);
    expect(calls).toContain('patch g');
  });

  it('two writes for one item never share a batch (ABS refuses a repeated id)', async () => {
    const { abs, calls, publisher } = stubAbs();
    const writes = coalesceItemWrites(abs, { ...FAST, maxBatch: 10 });
    await Promise.all([
      writes.patchMedia('a', body('1')),
      writes.patchMedia('b', body('B')),
      writes.patchMedia('a', body('2')),
    ]);
    expect(calls.filter((c) => !c.startsWith('read'))).toEqual(['update a,b', 'patch a']);
    expect(publisher.get('a')).toBe('2');
  });

  it('a refused batch is sent again item by item: each write gets its own answer or error', async () => {
    const { abs, calls } = stubAbs({ gone: new Set(['b']) });
    const writes = coalesceItemWrites(abs, FAST);
    const got = await Promise.allSettled(['a', 'b', 'c'].map((id) => writes.patchMedia(id, body(id))));
    expect(calls).toEqual(['update a,b,c', 'patch a', 'patch b', 'patch c']);
    expect(got.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((got[1] as PromiseRejectedResult).reason).toBeInstanceOf(ItemNotFoundError);
  });

  it('a failed read-back reads each item alone; an item gone by then is an ItemNotFoundError', async () => {
    const { abs, calls } = stubAbs({ readFails: true });
    const writes = coalesceItemWrites(abs, FAST);
    const got = await Promise.all(['a', 'b'].map((id) => writes.patchMedia(id, body(id))));
    expect(got.map((r) => r.libraryItem.id)).toEqual(['a', 'b']);
    expect(calls).toEqual(['update a,b', 'read a,b', 'get a', 'get b']);
  });

  it('updated: all when ABS counted every item, else per item by whether ABS holds what was sent', async () => {
    const { abs } = stubAbs({ noop: new Set(['b']) });
    const writes = coalesceItemWrites(abs, FAST);
    const got = await Promise.all(['a', 'b'].map((id) => writes.patchMedia(id, body(id))));
    expect(got.map((r) => r.updated)).toEqual([true, false]);
  });

  it('while a write is in flight, new ones wait up to lingerMs for others to share their batch', async () => {
    const { abs, calls } = stubAbs({ patchMs: 30 });
    const writes = coalesceItemWrites(abs, { ...FAST, maxBatch: 10, maxInFlight: 2, lingerMs: 50 });
    const all = [writes.patchMedia('a', body('a'))];
    await sleep(5);
    all.push(writes.patchMedia('b', body('b')));
    await sleep(10);
    all.push(writes.patchMedia('c', body('c')));
    await Promise.all(all);
    expect(calls.filter((c) => !c.startsWith('read'))).toEqual(['patch a', 'update b,c']);
  });

  it('leaves a client without batch routes alone', async () => {
    const { abs, calls } = stubAbs();
    const plain = { patchMedia: abs.patchMedia, getItem: abs.getItem } as unknown as BridgeAbs;
    const writes = coalesceItemWrites(plain, FAST);
    await Promise.all(['a', 'b'].map((id) => writes.patchMedia(id, body(id))));
    expect(calls).toEqual(['patch a', 'patch b']);
  });
});
