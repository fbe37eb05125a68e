/**
 * Against the real ABS 2.36, `abs-bridge run` as a user runs it: a first start on an existing
 * library, a new book over the socket, books added while the bridge was stopped, the trigger tag,
 * a person's edit kept, undo, and quiet afterwards (no PATCH while the watcher sees the sidecars).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/app/service.js';
import { bookFolder, generateBooks } from './harness/library.js';
import { ensureRealAbs, type RealAbs, realAbsAvailable, sleep, waitFor } from './harness/server.js';
import { createWorld, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;
/** How long the bridge must stay quiet after its work (the issue asks for two minutes). */
const QUIET_MS = Number(process.env.REAL_ABS_QUIET_SECONDS ?? 120) * 1000;

suite('real ABS: abs-bridge run', () => {
  let abs: RealAbs;
  let world: World;
  let service: Service | undefined;
  /** Books added later in the scenario (disjoint from the first ones). */
  const later = generateBooks(3, 23, 0).map((b, i) => ({
    ...b,
    asin: `B0LATER${String(i).padStart(3, '0')}`,
  }));

  const itemFor = async (title: string) => {
    const items = await world.api.items(world.libraryId);
    const found = items.find((i) => i.media.metadata.title === title || i.path.endsWith(title));
    if (!found) throw new Error(`no ABS item for "${title}"`);
    return world.api.item(found.id);
  };
  const appliedAsin = (title: string, asin: string) =>
    waitFor(`"${title}" applied with ${asin}`, async () => {
      const item = await itemFor(title).catch(() => undefined);
      return item?.media.metadata.asin === asin ? item : undefined;
    });

  beforeAll(async () => {
    abs = await ensureRealAbs();
    // The later books are served by the provider mock from the start.
    world = await createWorld(abs, {
      name: 'run',
      books: 5,
      seed: 17,
      extraCatalogue: later,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await world?.close();
  });

  it('a first start on an existing library matches nothing by surprise (README: use match --library)', async () => {
    world.proxy.reset();
    service = await world.startService();
    await waitFor('the socket to connect', async () =>
      service?.bridge.status().socket === 'connected' ? true : undefined,
    );
    await service.bridge.idle();
    await sleep(1000);
    expect(world.proxy.writes()).toEqual([]);
    expect(await service.bridge.recentItems(10)).toEqual([]);
  });

  it('a new book is applied from the socket event ABS sends when a scan finds it', async () => {
    const book = later[0] as (typeof later)[number];
    await world.addBooks([book]);
    await world.api.scan(world.libraryId);
    const item = await appliedAsin(book.title, book.asin);
    expect(item.media.metadata.publisher).toBe(book.publisher);
  });

  it('books added while the bridge was stopped are applied when it starts again', async () => {
    await service?.stop();
    service = undefined;
    const added = later.slice(1);
    await world.addBooks(added);
    await world.api.scan(world.libraryId);
    await world.api.waitForItems(world.libraryId, world.books.length + 3);
    service = await world.startService();
    for (const b of added) await appliedAsin(b.title, b.asin);
    // The books already there before the first start are still untouched.
    const first = await itemFor(world.books[0]?.title as string);
    expect(first.media.metadata.asin).toBeNull();
  });

  it('the trigger tag re-matches a book and is removed in the same PATCH', async () => {
    const book = world.books[0] as World['books'][number];
    const item = await itemFor(book.title);
    await world.api.call('PATCH', `/api/items/${item.id}/media`, {
      tags: [...item.media.tags, 'bridge:rematch'],
    });
    const done = await appliedAsin(book.title, book.asin);
    expect(done.media.tags).not.toContain('bridge:rematch');
    expect(done.media.metadata.narrators).toEqual(book.narrators);
  });

  it("keeps a person's edit through a later re-match, and undo restores what was there before", async () => {
    const book = world.books[0] as World['books'][number];
    const item = await itemFor(book.title);
    await world.api.call('PATCH', `/api/items/${item.id}/media`, {
      metadata: { publisher: 'A Person Chose This' },
    });
    await sleep(500);
    const outcome = await service?.bridge.rematch(item.id);
    expect(outcome?.kept?.map((k) => k.field)).toContain('publisher');
    expect((await world.api.item(item.id)).media.metadata.publisher).toBe('A Person Chose This');
    const undone = await service?.bridge.undo(item.id);
    expect(undone?.restoredFields).toContain('asin');
    const after = await world.api.item(item.id);
    expect(after.media.metadata.asin).toBeNull();
    // A person's value is theirs: undo leaves it.
    expect(after.media.metadata.publisher).toBe('A Person Chose This');
  });

  it('stays quiet after a backfill: no write to ABS while the watcher sees the sidecars it wrote', async () => {
    const report = await service?.bridge.backfill(world.libraryId, 'all');
    expect(report?.failed).toBe(0);
    await service?.bridge.idle();
    const book = later[0] as (typeof later)[number];
    await access(path.join(bookFolder(world.root, book), 'metadata.json'));
    world.proxy.reset();
    await sleep(QUIET_MS);
    await service?.bridge.idle();
    expect(world.proxy.writes(), `writes while nothing changed:\n${world.proxy.writes().join('\n')}`).toEqual(
      [],
    );
  });
});
