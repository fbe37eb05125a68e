import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cannedBook, type Harness, sleep, startHarness, until } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('bridge on the fake ABS: new items', () => {
  it('applies a new item with normalised values and writes metadata.json and OPF', async () => {
    h = await startHarness({ responses: { dune: cannedBook('Dune', { asin: 'B002V1OF70' }) } });
    await h.bridge.start();
    const id = await h.addBook({ title: 'Dune', author: 'Frank Herbert' });
    await until(async () => (await h!.bridge.getItem(id))?.decision === 'apply');
    const item = h.fake.expandedItem(id) as { media: { metadata: Record<string, unknown> } };
    const m = item.media.metadata;
    // fill-empty: title/authors kept, empty fields filled in ABS's stored form.
    expect(m.title).toBe('Dune');
    expect(m.authors).toMatchObject([{ name: 'Frank Herbert' }]);
    expect(m.publisher).toBe('Canned House');
    expect(m.asin).toBe('B002V1OF70');
    expect(m.series).toMatchObject([{ name: 'Canned Series', sequence: '1' }]);
    expect(m.description).toBe('<p>A canned <b>description</b>.</p>');
    expect(h.fake.patchCount).toBe(1);
    const folder = path.join(h.root, 'Frank Herbert', 'Dune');
    const json = JSON.parse(await readFile(path.join(folder, 'metadata.json'), 'utf8'));
    expect(json).toMatchObject({
      title: 'Dune',
      authors: ['Frank Herbert'],
      series: ['Canned Series #1'],
      publisher: 'Canned House',
    });
    expect(await readFile(path.join(folder, 'metadata.opf'), 'utf8')).toContain('Canned House');
    const record = await h.bridge.getItem(id);
    expect(record?.history.at(-1)?.action).toBe('applied');
    expect(record?.previous).toMatchObject({ publisher: null });
  });

  it('asks ABS to rescan the item after writing sidecars when bridge.scanAfterSidecars is on', async () => {
    h = await startHarness({
      responses: { dune: cannedBook('Dune') },
      config: { bridge: { scanAfterSidecars: true } },
    });
    await h.bridge.start();
    const id = await h.addBook({ title: 'Dune', author: 'Frank Herbert' });
    await until(async () => (await h!.bridge.getItem(id))?.decision === 'apply');
    await h.bridge.idle();
    const scans = h.fake.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/api/items/${id}/scan`),
    );
    expect(scans).toHaveLength(1);
  });

  it('processes an items_added batch, every item once', async () => {
    const responses = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`batch book ${i}`, cannedBook(`Batch Book ${i}`)]),
    );
    h = await startHarness({ responses });
    await h.bridge.start();
    h.fake.addItems(Array.from({ length: 12 }, (_, i) => ({ title: `Batch Book ${i}`, author: 'B' })));
    await until(async () => (await h!.bridge.recentItems(50)).length === 12);
    await h.bridge.idle();
    expect(h.fake.patchCount).toBe(12);
    expect(h.bridge.status().counts.apply).toBe(12);
  });

  it('rejects a book nobody knows and writes nothing', async () => {
    h = await startHarness({ responses: {} });
    await h.bridge.start();
    const id = h.fake.addItem({ title: 'Nobody Knows This', author: 'X' }).id; // no folder: no local guess
    await until(async () => Boolean(await h!.bridge.getItem(id)));
    expect((await h.bridge.getItem(id))?.decision).toBe('reject');
    expect(h.fake.patchCount).toBe(0);
  });

  it('sends a weak match (folder name only) to review, with candidates, and writes nothing', async () => {
    h = await startHarness({ responses: {} });
    await h.bridge.start();
    const id = await h.addBook({ title: 'Only A Folder', author: 'X' });
    await until(async () => Boolean(await h!.bridge.getItem(id)));
    const review = await h.bridge.listReview();
    expect(review.map((r) => r.itemId)).toEqual([id]);
    expect(review[0]?.result?.candidates.length).toBeGreaterThan(0);
    expect(h.fake.patchCount).toBe(0);
  });

  it('skips local sources and sidecars, with the API still used, when the folder is not reachable', async () => {
    h = await startHarness({ responses: { gone: cannedBook('Gone') } });
    await h.bridge.start();
    const id = h.fake.addItem({ title: 'Gone', author: 'Nobody' }).id; // no folder on disk
    await until(async () => (await h!.bridge.getItem(id))?.decision === 'apply');
    expect(h.fake.patchCount).toBe(1);
    await sleep(50);
  });
});

describe('bridge on the fake ABS: chapters and cover', () => {
  const chapters = [
    { start: 0, end: 1800, title: 'Part One' },
    { start: 1800, end: 3600, title: 'Part Two' },
  ];

  it('writes chapters that fit the duration and a cover when the item has none', async () => {
    h = await startHarness({
      responses: {
        'with extras': cannedBook('With Extras', {
          chapters,
          cover: { url: 'https://covers.example/x.jpg' },
        }),
      },
      socket: false,
    });
    const id = await h.addBook({ title: 'With Extras', author: 'C', duration: 3600 });
    const outcome = await h.bridge.rematch(id);
    expect(outcome).toMatchObject({ chaptersWritten: true, coverSet: true });
    const media = (h.fake.expandedItem(id) as { media: { chapters: unknown[]; coverPath: string } }).media;
    expect(media.chapters).toMatchObject(chapters);
    expect(media.coverPath).toMatch(/cover\.jpg$/);
    // A second run changes nothing at all.
    const again = await h.bridge.rematch(id);
    expect(again).toMatchObject({ changes: [], chaptersWritten: false, coverSet: false });
    expect(h.fake.changeCount).toBe(3);
  });

  it('keeps chapters that do not fit, and survives a refused cover', async () => {
    h = await startHarness({
      responses: {
        'bad extras': cannedBook('Bad Extras', { chapters, cover: { url: 'http://127.0.0.1/x.jpg' } }),
      },
      socket: false,
    });
    const id = await h.addBook({ title: 'Bad Extras', author: 'C', duration: 7200 });
    const outcome = await h.bridge.rematch(id);
    expect(outcome).toMatchObject({ applied: true, chaptersWritten: false, coverSet: false });
    expect((await h.bridge.getItem(id))?.history.at(-1)?.note).toMatch(/cover not set/);
  });
});
