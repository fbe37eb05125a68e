import { describe, expect, it } from 'vitest';
import { MAX_QUERIES, searchQueries } from '../../src/matching/queries.js';
import { makeLookupContext } from '../../src/providers/types.js';

const titlesOf = (title: string, authors: string[] = []) =>
  searchQueries(makeLookupContext({ title, authors })).map((q) => q.title);

describe('searchQueries', () => {
  it.each<[string, string[], string]>([
    ['The Hobbit (Unabridged)', [], 'The Hobbit'],
    ['The Hobbit [64k] mp3', [], 'The Hobbit'],
    ['01 - The Hobbit', [], 'The Hobbit'],
    ['Percy Jackson 01 - The Lightning Thief', [], 'The Lightning Thief'],
    ['Stephen King - The Stand', ['Stephen King'], 'The Stand'],
    ['the_lightning_thief', [], 'the lightning thief'],
    ['The Lightning Thief, Book 1', [], 'The Lightning Thief'],
  ])('%s → first query %s', (title, authors, expected) => {
    expect(titlesOf(title, authors)[0]).toBe(expected);
  });

  it('adds the subtitle-less form and a title-only fallback, at most three', () => {
    const queries = searchQueries(
      makeLookupContext({
        title: 'Atomic Habits: An Easy Way to Build Good Habits',
        authors: ['Clear, James'],
      }),
    );
    expect(queries.length).toBeLessThanOrEqual(MAX_QUERIES);
    expect(queries[0]).toMatchObject({
      author: 'James Clear',
      keywords: expect.stringContaining('James Clear'),
    });
    expect(queries.map((q) => q.title)).toContain('Atomic Habits');
    expect(queries.at(-1)?.author).toBeUndefined();
  });

  it('no title, no queries', () => {
    expect(searchQueries(makeLookupContext({ authors: ['Somebody'] }))).toEqual([]);
    expect(searchQueries(makeLookupContext({ title: '   ' }))).toEqual([]);
  });
});
