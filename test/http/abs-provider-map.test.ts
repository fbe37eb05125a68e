import { describe, expect, it } from 'vitest';
import { AbsSearchQuerySchema, contextFromQuery, toAbsBook } from '../../src/http/abs-provider-map.js';

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
