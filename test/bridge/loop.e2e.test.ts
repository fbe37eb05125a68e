import { afterEach, describe, expect, it } from 'vitest';
import { cannedBook, type Harness, sleep, startHarness, until } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('loop and echo safety (ABS-API.md §7)', () => {
  it('runs for a while against the fake ABS and PATCHes each new item exactly once', async () => {
    const titles = ['Loop One', 'Loop Two', 'Loop Three', 'Loop Four'];
    h = await startHarness({
      responses: Object.fromEntries(titles.map((t) => [t.toLowerCase(), cannedBook(t)])),
      // ABS writes metadata.json into the item folder: the first write is a new file, and the
      // watcher reports it again ~12 s later (here 400 ms) as a second item_updated.
      storeMetadataWithItem: true,
      echoDelayMs: 400,
    });
    const queued: string[] = [];
    h.runtime.events.on('item.queued', (e) => {
      queued.push(e.itemId);
    });
    await h.bridge.start();
    const ids: string[] = [];
    for (const title of titles) ids.push(await h.addBook({ title, author: 'Echo Author' }));
    await until(async () => (await h!.bridge.recentItems(10)).length === titles.length);
    // The watcher also sees the bridge's own new sidecars, and a library scan reports the items
    // again without a change; one folder briefly goes missing (a file-only change).
    await sleep(150);
    for (const id of ids) h.fake.emit('item_updated', h.fake.expandedItem(id));
    h.fake.emit(
      'items_updated',
      ids.map((id) => h!.fake.expandedItem(id)),
    );
    h.fake.removeFolder(ids[0] as string);
    await sleep(2500);
    await h.bridge.idle();
    expect(h.fake.patchCount).toBe(titles.length);
    expect(queued.sort()).toEqual([...ids].sort());
    for (const id of ids)
      expect((await h.bridge.getItem(id))?.history.map((e) => e.action)).toEqual(['applied']);
  });

  it('treats a person’s edit as theirs: no new work, and a later re-match keeps it', async () => {
    h = await startHarness({ responses: { 'edited book': cannedBook('Edited Book') } });
    await h.bridge.start();
    const id = await h.addBook({ title: 'Edited Book', author: 'A' });
    await until(async () => (await h!.bridge.getItem(id))?.decision === 'apply');
    const queued: string[] = [];
    h.runtime.events.on('item.queued', (e) => {
      queued.push(e.itemId);
    });
    expect(h.fake.userEdit(id, { metadata: { publisher: 'My Own Press' } })).toBe(true);
    await sleep(300);
    expect(queued).toEqual([]);
    const outcome = await h.bridge.rematch(id);
    expect(outcome.kept).toContainEqual({ field: 'publisher', reason: 'person-edited' });
    expect(
      (h.fake.expandedItem(id) as { media: { metadata: { publisher: string } } }).media.metadata.publisher,
    ).toBe('My Own Press');
    expect(h.fake.patchCount).toBe(1);
  });
});
