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

suite('real ABS: tidy --report', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), {
      name: 'tidy',
      books: 3,
      seed: 59,
      customize: (books) =>
        books.map((b, i) => ({
          ...b,
          authors: [['J. R. R. Marlowe', 'J.R.R. Marlowe', 'Marlowe, J. R. R.'][i] as string],
        })),
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("lists the library's own duplicate authors with a merge plan, and changes nothing", async () => {
    world.proxy.reset();
    const res = await world.cli('tidy', '--report', '--library', world.libraryId, '--json');
    expect(res.code, res.err).toBe(0);
    const groups = res.out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; keep: { name: string }; merge: { name: string }[] });
    const authors = groups.filter((g) => g.kind === 'authors');
    expect(authors).toHaveLength(1);
    const names = [authors[0]?.keep.name, ...(authors[0]?.merge.map((m) => m.name) ?? [])].sort();
    // ABS itself turned "Marlowe, J. R. R." into "J. R. R. Marlowe" (it splits authors on commas).
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names).toContain('J.R.R. Marlowe');
    expect(world.proxy.writes()).toEqual([]);
  });
});
