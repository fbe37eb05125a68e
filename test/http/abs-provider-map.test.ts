import { describe, expect, it } from 'vitest';
import {
  AbsSearchQuerySchema,
  absNameList,
  contextFromQuery,
  toAbsBook,
} from '../../src/http/abs-provider-map.js';

describe('toAbsBook', () => {
  it.each([
    [{}, null],
    [{ subtitle: 'no title' }, null],
    [
      {
        title: 'The Way of Kings',
        authors: [{ name: 'Brandon Sanderson' }, { name: 'Someone Else' }],
        narrators: ['Michael Kramer', 'Kate Reading'],
        series: [
          { name: 'The Stormlight Archive', sequence: '1' },
          { name: 'Cosmere', sequence: null },
        ],
        genres: [],
        durationSeconds: 164_989,
      },
      {
        title: 'The Way of Kings',
        author: 'Brandon Sanderson, Someone Else',
        narrator: 'Michael Kramer, Kate Reading',
        series: [{ series: 'The Stormlight Archive', sequence: '1' }, { series: 'Cosmere' }],
        duration: 2750,
      },
    ],
  ])('maps %j', (fields, expected) => {
    expect(toAbsBook(fields)).toEqual(expected);
  });

  it('never sends ABS the same person twice, nor a name it would split (issue #19)', () => {
    const book = toAbsBook({
      title: 'T',
      authors: [
        { name: 'Ada Marlowe' },
        { name: 'ada  marlowe ' },
        { name: 'ADA MARLOWE' },
        { name: 'Bram\u00a0Quist' },
      ],
      narrators: ['Cora Varga', 'Cora Varga'],
      series: [
        { name: 'Veyra Chronicles', sequence: '1' },
        { name: 'veyra chronicles', sequence: '2' },
      ],
    });
    expect(book).toEqual({
      title: 'T',
      author: 'Ada Marlowe, Bram Quist',
      narrator: 'Cora Varga',
      series: [{ series: 'Veyra Chronicles', sequence: '1' }],
    });
  });
});

describe('absNameList', () => {
  it.each([
    [['Tolkien, J. R. R.'], 'J. R. R. Tolkien'],
    [['Martin Luther King, Jr.'], 'Martin Luther King Jr.'],
    [['A, B, C'], 'A B C'],
    [['  ', ''], undefined],
    [[], undefined],
    [['Élena Haddad', 'ÉLENA HADDAD'], 'Élena Haddad'],
  ])('%j → %j (what ABS splits back on commas)', (names, expected) => {
    const joined = absNameList(names);
    expect(joined).toBe(expected);
    // ABS 2.36 Scanner: split(','), trim, drop empty — one person per name sent.
    const split =
      joined
        ?.split(',')
        .map((n) => n.trim())
        .filter(Boolean) ?? [];
    expect(new Set(split.map((n) => n.toLowerCase())).size).toBe(split.length);
  });
});

describe('AbsSearchQuerySchema', () => {
  it('builds the lookup context from what ABS sends, normalising identifiers', () => {
    const q = AbsSearchQuerySchema.parse({
      mediaType: 'book',
      query: ' Dune ',
      author: 'Frank Herbert',
      isbn: '978-0-441-17271-9',
      asin: 'b002v1ogha',
    });
    expect(contextFromQuery(q)).toMatchObject({
      title: 'Dune',
      authors: ['Frank Herbert'],
      isbn: '9780441172719',
      asin: 'B002V1OGHA',
    });
  });

  it('drops an author that is only spaces and a non-ISBN isbn', () => {
    const q = AbsSearchQuerySchema.parse({ query: 'Dune', author: '  ', isbn: '[object Object]' });
    expect(contextFromQuery(q)).toMatchObject({ title: 'Dune', authors: [] });
    expect(contextFromQuery(q).isbn).toBeUndefined();
  });
});
