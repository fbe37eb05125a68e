/**
 * Against the real ABS 2.36: `match`/`run` read the sidecars beside the audio (not only ABS's
 * audio file names), never count the bridge's own earlier output as evidence, and say so when a
 * sidecar is not text.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/app/service.js';
import { bookFolder } from './harness/library.js';
import { ensureRealAbs, realAbsAvailable } from './harness/server.js';
import { createWorld, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

suite('real ABS: sidecars in match and run', () => {
  let world: World;
  let service: Service;
  const idOf = async (title: string) => {
    const items = await world.api.items(world.libraryId);
    return items.find((i) => i.path.endsWith(title))?.id as string;
  };

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), { name: 'sidecars', books: 3, seed: 41, scan: false });
    const [a, b] = world.books as [World['books'][number], World['books'][number]];
    // A reader.txt a person wrote (the narrator is in no tag), and a binary "desc.txt".
    await writeFile(path.join(bookFolder(world.root, a), 'reader.txt'), `${a.narrators[0]}\n`);
    await writeFile(
      path.join(bookFolder(world.root, b), 'desc.txt'),
      Buffer.concat([Buffer.from([0, 1, 2, 3, 0xff, 0]), randomBytes(2048)]),
    );
    await world.api.scan(world.libraryId);
    await world.api.waitForItems(world.libraryId, world.books.length);
    service = await world.startService();
  });
  afterAll(async () => {
    await service?.stop();
    await world?.close();
  });

  it('a re-match reads the sidecars in the item folder', async () => {
    const book = world.books[0] as World['books'][number];
    const id = await idOf(book.title);
    await service.bridge.rematch(id);
    const record = await service.bridge.getItem(id);
    const sidecars = record?.result?.providers.find((p) => p.provider === 'local-sidecars');
    expect(sidecars?.status).toBe('found');
    const narrators = record?.result?.provenance.narrators ?? [];
    expect(narrators.some((p) => p.provider === 'local-sidecars')).toBe(true);
  });

  it('a binary desc.txt is not a description, and the record says why', async () => {
    const book = world.books[1] as World['books'][number];
    const id = await idOf(book.title);
    await service.bridge.rematch(id);
    const record = await service.bridge.getItem(id);
    const sidecars = record?.result?.providers.find((p) => p.provider === 'local-sidecars');
    expect(sidecars?.notes?.join('\n')).toMatch(
      /desc\.txt: ignored desc\.txt sidecar \(binary data, not text\)/,
    );
    expect((await world.api.item(id)).media.metadata.description).toBe(book.description);
  });

  it("the bridge's own metadata.json and OPF from the last run are not evidence on the next", async () => {
    const book = world.books[2] as World['books'][number];
    const id = await idOf(book.title);
    await service.bridge.rematch(id);
    const again = await service.bridge.rematch(id);
    expect(again.changes).toEqual([]);
    const record = await service.bridge.getItem(id);
    const sidecars = record?.result?.providers.find((p) => p.provider === 'local-sidecars');
    expect(sidecars?.status).not.toBe('found');
    expect(sidecars?.notes?.join('\n')).toMatch(/metadata\.json: written by the bridge and unchanged since/);
    const fromSidecars = Object.values(record?.result?.provenance ?? {})
      .flat()
      .filter((p) => p?.provider === 'local-sidecars');
    expect(fromSidecars).toEqual([]);
  });
});
