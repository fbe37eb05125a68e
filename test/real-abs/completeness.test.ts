/**
 * Against the real ABS 2.36: completeness scores from ABS's own listing, and a backfill of only the
 * incomplete books.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRealAbs, realAbsAvailable } from './harness/server.js';
import { createWorld, jsonLines, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

suite('real ABS: completeness', () => {
  let world: World;
  const scores = async () => {
    const rows = jsonLines((await world.cli('completeness', '--library', world.libraryId, '--json')).out);
    return {
      books: rows.filter((r) => 'score' in r) as { itemId: string; score: number; missing: string[] }[],
      summary: rows.find((r) => 'summary' in r)?.summary as { books: number; averageScore: number },
    };
  };

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), { name: 'completeness', books: 4, seed: 67 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('scores what ABS holds, and --incomplete matches only the books below the bar', async () => {
    const before = await scores();
    expect(before.summary.books).toBe(4);
    expect(before.books).toHaveLength(4);
    for (const b of before.books)
      expect(b.missing).toEqual(expect.arrayContaining(['narrators', 'identifier']));
    // One book is filled by hand first: it is no longer below the bar and is left alone.
    const first = before.books[0] as { itemId: string };
    await world.api.call('PATCH', `/api/items/${first.itemId}/media`, {
      metadata: {
        narrators: ['By Hand'],
        asin: 'B0BYHAND00',
        publisher: 'Hand',
        description: 'x'.repeat(60),
        publishedYear: '2000',
        language: 'English',
      },
    });
    const bar = (await scores()).books.find((b) => b.itemId === first.itemId)?.score ?? 0;
    const res = await world.cli(
      'match',
      '--library',
      world.libraryId,
      '--incomplete',
      '--below',
      String(bar),
      '--json',
    );
    expect(res.code, res.err).toBe(0);
    const processed = jsonLines(res.out)
      .filter((l) => 'itemId' in l)
      .map((l) => l.itemId);
    expect(processed).toHaveLength(3);
    expect(processed).not.toContain(first.itemId);
    const after = await scores();
    expect(after.summary.averageScore).toBeGreaterThan(before.summary.averageScore);
  });
});
