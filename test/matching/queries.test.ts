import { describe, expect, it } from 'vitest';
import { makeLookupContext } from '../../src/domain/lookup.js';
import {
  authorKeywords,
  doubledLetterRepairs,
  FALLBACK_BELOW,
  fallbackQueries,
  MAX_FALLBACK_QUERIES,
  MAX_QUERIES,
  type SearchQuery,
  searchInTurn,
  searchQueries,
} from '../../src/matching/queries.js';

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

describe('doubledLetterRepairs', () => {
  it.each<[string, string[]]>([
    ['Fierrce', ['Fierce']],
    ['Seductioon', ['Seduction']],
    ['10 - focuseed', ['10 - focused']],
    // A run of three is the likelier slip, so it comes first; then doubles left to right.
    ['Bookkeeppper', ['Bookkeepper', 'Bokkeeppper', 'Bookeeppper', 'Bookkeppper']],
    ['Harry Pottter', ['Harry Potter', 'Hary Pottter']],
    ['Straßße', ['Straße']],
  ])('%s → %j', (title, expected) => {
    expect(doubledLetterRepairs(title)).toEqual(expected);
  });

  it.each<[string]>([
    ['Dune'], // no double
    ['Moon Tree'], // doubles only in words under five letters
    ['Wagner'],
    ['Episode 1000'], // digits are never repaired
    [''],
  ])('%s → nothing', (title) => {
    expect(doubledLetterRepairs(title)).toEqual([]);
  });
});

describe('authorKeywords', () => {
  it.each<[string, string]>([
    ['J. Rowe', 'Rowe'],
    ['J.R.R. Tolkien', 'Tolkien'],
    ['P. G. Wodehouse', 'Wodehouse'],
    ['C.C. Hunter', 'Hunter'],
    ['Jennifer Rowe', 'Jennifer Rowe'],
    ['Al Gore', 'Al Gore'],
    ['Elle Lincon', 'Elle Lincon'],
    ['Plato', 'Plato'],
  ])('%s → %s', (author, expected) => {
    expect(authorKeywords(author)).toBe(expected);
  });
});

describe('fallbackQueries', () => {
  const fallback = (title: string, authors: string[] = []) =>
    fallbackQueries(makeLookupContext({ title, authors }));

  it.each<[string, string[], string[]]>([
    ['Fierrce', [], ['Fierce']],
    ['stallin', [], ['stalin']],
    ['10_-_focuseed', [], ['focused']],
    ['Seductioon', ['Elle Lincon'], ['Seduction Elle Lincon', 'Elle Lincon']],
    ['Dealdine', ['Rowe, J.'], ['Rowe']],
    ['Dealdine (Unabridged) 128kpbs mp3', ['Jennifer Rowe'], ['Jennifer Rowe']],
    // Two doubles and no author: both repairs; with an author the author search comes second.
    ['Bookkeepper', [], ['Bokkeepper', 'Bookeepper']],
    ['Bookkeepper', ['Ann Smith'], ['Bokkeepper Ann Smith', 'Ann Smith']],
  ])('%s by %j → %j', (title, authors, expected) => {
    expect(fallback(title, authors).map((q) => q.keywords)).toEqual(expected);
  });

  it.each<[string, string[]]>([
    ['Wgner', []], // nothing to repair, no author to search by
    ['Know Your Righhts', ['Angelina Jolie']], // several words: the right ones still find it
    ['The Art of Warr', []],
    ['', ['Somebody']],
  ])('%s by %j → no fallback', (title, authors) => {
    expect(fallback(title, authors)).toEqual([]);
  });

  it('an author-only search has no title and never repeats an ordinary query', () => {
    const [only] = fallback('Dealdine', ['Jennifer Rowe']);
    expect(only).toEqual({ title: '', author: 'Jennifer Rowe', keywords: 'Jennifer Rowe' });
    const ctx = makeLookupContext({ title: 'Rowe', authors: [] });
    const ordinary = new Set(searchQueries(ctx).map((q) => q.keywords));
    for (const q of fallbackQueries(ctx)) expect(ordinary.has(q.keywords)).toBe(false);
    expect(fallback('Bookkeeppper', ['Ann Smith']).length).toBeLessThanOrEqual(MAX_FALLBACK_QUERIES);
  });
});

describe('searchInTurn', () => {
  /** Runs the flow with `scores[keywords]` as the result after each query; returns what was sent. */
  async function run(title: string, authors: string[], scores: Record<string, number>) {
    const sent: string[] = [];
    let best = 0;
    const result = await searchInTurn(
      makeLookupContext({ title, authors }),
      { matchConfidence: 0 },
      0.9,
      async (q: SearchQuery) => {
        sent.push(q.keywords);
        best = Math.max(best, scores[q.keywords] ?? 0);
        return { matchConfidence: best };
      },
    );
    return { sent, confidence: result.matchConfidence };
  }

  it('stops at the first good enough result and sends no fallback', async () => {
    expect(await run('Fierce', ['Kelly Osbourne'], { 'Fierce Kelly Osbourne': 0.95 })).toEqual({
      sent: ['Fierce Kelly Osbourne'],
      confidence: 0.95,
    });
  });

  it('a result worth a review (≥ FALLBACK_BELOW) ends the search after the ordinary queries', async () => {
    const { sent } = await run('Fierrce', ['Kelly Osbourne'], { 'Fierrce Kelly Osbourne': FALLBACK_BELOW });
    expect(sent).toEqual(['Fierrce Kelly Osbourne', 'Fierrce']);
  });

  it('nothing worth a review: the fallback queries follow, stopping when one is good enough', async () => {
    const { sent, confidence } = await run('Fierrce', ['Kelly Osbourne'], {
      'Fierce Kelly Osbourne': 0.93,
    });
    expect(sent).toEqual(['Fierrce Kelly Osbourne', 'Fierrce', 'Fierce Kelly Osbourne']);
    expect(confidence).toBe(0.93);
  });

  it('sends every fallback when none helps, and returns the initial result without a title', async () => {
    const { sent } = await run('Fierrce', ['Kelly Osbourne'], {});
    expect(sent).toEqual(['Fierrce Kelly Osbourne', 'Fierrce', 'Fierce Kelly Osbourne', 'Kelly Osbourne']);
    expect(await run('', ['Kelly Osbourne'], {})).toEqual({ sent: [], confidence: 0 });
  });
});
