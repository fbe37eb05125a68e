/**
 * Against the real ABS 2.36, with `abs-bridge run`: the tag commands a person adds in ABS beside
 * the re-match tag — `bridge:review`, `bridge:lock`, `bridge:skip` — each handled, removed from the
 * book, and kept to afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/app/service.js';
import { ensureRealAbs, realAbsAvailable, sleep, waitFor } from './harness/server.js';
import { createWorld, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

suite('real ABS: tag commands', () => {
  let world: World;
  let service: Service;
  const idOf = async (i: number) =>
    (await world.api.items(world.libraryId)).find((x) => x.path.endsWith(world.books[i]?.title as string))
      ?.id as string;
  const addTag = async (id: string, tag: string) => {
    const item = await world.api.item(id);
    await world.api.call('PATCH', `/api/items/${id}/media`, { tags: [...item.media.tags, tag] });
  };
  const tagGone = (id: string, tag: string) =>
    waitFor(`${tag} handled and removed`, async () => {
      const item = await world.api.item(id);
      return item.media.tags.includes(tag) ? undefined : item;
    });

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), {
      name: 'tag-commands',
      books: 3,
      seed: 53,
      // Overwrite everything: only a lock can keep a value then.
      config: { bridge: { defaultPolicy: 'overwrite' } },
    });
    service = await world.startService();
    await waitFor('the socket', async () =>
      service.bridge.status().socket === 'connected' ? true : undefined,
    );
  });
  afterAll(async () => {
    await service?.stop();
    await world?.close();
  });

  it('bridge:review sends a book to review with its candidates and writes nothing else', async () => {
    const id = await idOf(0);
    await addTag(id, 'bridge:review');
    const item = await tagGone(id, 'bridge:review');
    expect(item.media.metadata.asin).toBeNull();
    await service.bridge.idle();
    const record = await service.bridge.getItem(id);
    expect(record?.decision).toBe('review');
    expect(record?.reason).toMatch(/a person asked to review/);
    expect(record?.result?.candidates.length).toBeGreaterThan(0);
    expect((await service.bridge.listReview()).map((r) => r.itemId)).toContain(id);
  });

  it("bridge:lock keeps a book's values through a later re-match", async () => {
    const id = await idOf(1);
    // One edit (an edit alone would make the bridge match the unprocessed book at once).
    const before = await world.api.item(id);
    await world.api.call('PATCH', `/api/items/${id}/media`, {
      metadata: { publisher: 'Chosen By Hand' },
      tags: [...before.media.tags, 'bridge:lock'],
    });
    await tagGone(id, 'bridge:lock');
    await service.bridge.idle();
    await addTag(id, 'bridge:rematch');
    await tagGone(id, 'bridge:rematch');
    await service.bridge.idle();
    const item = await world.api.item(id);
    expect(item.media.metadata.publisher).toBe('Chosen By Hand');
    // Empty fields were not locked: the match filled them.
    expect(item.media.metadata.asin).toBe(world.books[1]?.asin);
    const history = (await service.bridge.getItem(id))?.history.map((h) => h.note ?? h.action) ?? [];
    expect(history.some((h) => /bridge:lock: locked .*publisher/.test(h))).toBe(true);
  });

  it('bridge:skip leaves a book alone until a person re-matches it by hand', async () => {
    const id = await idOf(2);
    await addTag(id, 'bridge:skip');
    await tagGone(id, 'bridge:skip');
    await service.bridge.idle();
    world.proxy.reset();
    await service.bridge.catchUp();
    await service.bridge.retryWaiting();
    await sleep(1000);
    await service.bridge.idle();
    expect(world.proxy.writes()).toEqual([]);
    expect((await world.api.item(id)).media.metadata.asin).toBeNull();
    const outcome = await service.bridge.rematch(id);
    expect(outcome.decision).toBe('apply');
    expect((await world.api.item(id)).media.metadata.asin).toBe(world.books[2]?.asin);
  });
});
