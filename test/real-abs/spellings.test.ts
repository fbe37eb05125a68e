/**
 * Against the real ABS 2.36: a match never creates a second author for a person the library
 * already has in another spelling, and narrator strings holding several people are split.
 * Counted through ABS's own author list before and after a backfill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRealAbs, realAbsAvailable } from './harness/server.js';
import { createWorld, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

/** How the providers spell what the files' tags say. */
const PROVIDER_SPELLING: Record<string, string> = {
  'J. R. R. Marlowe': 'J.R.R. Marlowe',
  'Ada Haddad': 'Haddad, Ada',
  'Elena Varga': 'Eléna Varga',
};

suite('real ABS: one spelling per person', () => {
  let world: World;
  const authors = async () =>
    (
      await world.api.call<{ authors: { name: string }[] }>(
        'GET',
        `/api/libraries/${world.libraryId}/authors`,
      )
    ).authors
      .map((a) => a.name)
      .sort();

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), {
      name: 'spellings',
      books: 3,
      seed: 47,
      // Authors overwritten from the providers (with fill-empty the tags' authors would simply stay).
      config: { bridge: { fieldPolicy: { authors: 'overwrite', narrators: 'overwrite' } } },
      customize: (books) =>
        books.map((b, i) => ({
          ...b,
          authors: [['J. R. R. Marlowe', 'Ada Haddad', 'Elena Varga'][i] as string],
        })),
      asProvidersSpell: (books) =>
        books.map((b, i) => ({
          ...b,
          authors: b.authors.map((a) => PROVIDER_SPELLING[a] ?? a),
          narrators: i === 0 ? ['Cora Quist and Bram Okafor'] : b.narrators,
        })),
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("reuses ABS's spelling of each author and splits narrator strings", async () => {
    const before = await authors();
    expect(before).toEqual(['Ada Haddad', 'Elena Varga', 'J. R. R. Marlowe']);
    const res = await world.cli('match', '--library', world.libraryId, '--all', '--json');
    expect(res.code, res.err).toBe(0);
    expect(await authors()).toEqual(before);
    const items = await world.api.items(world.libraryId);
    const first = items.find((i) => i.path.endsWith(world.books[0]?.title as string));
    const item = await world.api.item(first?.id as string);
    expect(item.media.metadata.asin).toBe(world.books[0]?.asin);
    expect(item.media.metadata.narrators).toEqual(['Cora Quist', 'Bram Okafor']);
  });
});
