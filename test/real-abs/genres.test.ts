/**
 * Against the real ABS 2.36: genre rules. A library whose books carry a messy genre from their
 * tags is previewed (nothing changes), then backfilled with the rules on: every book ends with the
 * library's vocabulary, blocked terms gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRealAbs, realAbsAvailable } from './harness/server.js';
import { createWorld, jsonLines, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

suite('real ABS: genre rules', () => {
  let world: World;
  const genresOf = async () =>
    Promise.all(
      (await world.api.items(world.libraryId)).map(async (i) => {
        const item = await world.api.call<{ media: { metadata: { genres: string[] } } }>(
          'GET',
          `/api/items/${i.id}`,
        );
        return item.media.metadata.genres;
      }),
    );

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), {
      name: 'genres',
      books: 4,
      seed: 61,
      genreTag: () => 'Science Fiction & Fantasy',
      asProvidersSpell: (books) => books.map((b) => ({ ...b, genres: ['Sci-Fi & Fantasy', 'Unabridged'] })),
      config: {
        genres: {
          enabled: true,
          tidyExisting: true,
          map: {
            'Science Fiction & Fantasy': ['Science Fiction', 'Fantasy'],
            'Sci-Fi & Fantasy': ['Science Fiction', 'Fantasy'],
          },
          block: ['Unabridged'],
        },
      },
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('the preview lists what would change and writes nothing', async () => {
    expect(await genresOf()).toEqual(world.books.map(() => ['Science Fiction & Fantasy']));
    world.proxy.reset();
    const res = await world.cli('genres', '--preview', '--library', world.libraryId, '--json');
    expect(res.code, res.err).toBe(0);
    const rows = jsonLines(res.out);
    expect(rows.find((r) => 'summary' in r)?.summary).toEqual({ books: 4, changed: 4, rules: true });
    expect(rows.filter((r) => 'ruled' in r).map((r) => r.ruled)).toEqual(
      world.books.map(() => ['Science Fiction', 'Fantasy']),
    );
    expect(world.proxy.writes()).toEqual([]);
  });

  it('a backfill with the rules on leaves every book in the library vocabulary', async () => {
    const res = await world.cli('match', '--library', world.libraryId, '--all', '--json');
    expect(res.code, res.err).toBe(0);
    expect(await genresOf()).toEqual(world.books.map(() => ['Science Fiction', 'Fantasy']));
  });
});
