import { describe, expect, it } from 'vitest';
import { duplicateGroups, formatGroup } from '../../src/bridge/reports/tidy.js';

describe('duplicateGroups', () => {
  const people = {
    authors: [
      { id: 'a', name: 'J.R.R. Tolkien', books: 1 },
      { id: 'b', name: 'J. R. R. Tolkien', books: 3 },
      { id: 'c', name: 'Ursula K. Le Guin', books: 2 },
      { id: 'd', name: 'Robert Galbraith', books: 1 },
      { id: 'e', name: 'Galbraith (Rowling)', books: 1 },
    ],
    narrators: [
      { name: 'Rob Inglis', books: 2 },
      { name: 'rob  inglis', books: 1 },
    ],
    series: [
      { id: 's1', name: 'The Expanse', books: 4 },
      { id: 's2', name: 'Expanse', books: 1 },
      { id: 's3', name: 'Earthsea', books: 2 },
    ],
  };

  it('groups spellings of one name, keeping the one on most books', () => {
    const groups = duplicateGroups(people);
    expect(groups.map((g) => [g.kind, g.keep.name, g.merge.map((m) => m.name), g.books])).toEqual([
      ['authors', 'J. R. R. Tolkien', ['J.R.R. Tolkien'], 4],
      ['narrators', 'Rob Inglis', ['rob  inglis'], 3],
      ['series', 'The Expanse', ['Expanse'], 5],
    ]);
    expect(formatGroup(groups[0] as never)).toBe(
      'authors: keep "J. R. R. Tolkien" (3 books) ← "J.R.R. Tolkien" (1)',
    );
  });

  it('aliases join names folding cannot', () => {
    const groups = duplicateGroups(people, { 'Robert Galbraith': ['Galbraith (Rowling)'] });
    expect(groups.find((g) => g.keep.name === 'Robert Galbraith')?.merge.map((m) => m.name)).toEqual([
      'Galbraith (Rowling)',
    ]);
  });
});
