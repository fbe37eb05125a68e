import { describe, expect, it } from 'vitest';
import { LibrarySpellings, personKey, seriesKey } from '../../src/bridge/pipeline/spellings.js';

describe('personKey / seriesKey', () => {
  it('joins the spellings of one person', () => {
    const same = [
      'J.R.R. Tolkien',
      'J. R. R. Tolkien',
      'JRR Tolkien',
      'Tolkien, J.R.R.',
      'j r r  tolkien',
      'J.R.R. Tólkien',
    ];
    expect(new Set(same.map(personKey)).size).toBe(1);
  });
  it('keeps different people apart', () => {
    expect(personKey('Ada Marlowe')).not.toBe(personKey('Ada Marlowes'));
    expect(personKey('Stephen King')).not.toBe(personKey('Stephen Kingsley'));
    expect(personKey('A. B. Smith')).not.toBe(personKey('A. C. Smith'));
  });
  it('a series with or without its article is one series', () => {
    expect(seriesKey('The Expanse')).toBe(seriesKey('Expanse'));
    expect(seriesKey('The Wheel of Time')).not.toBe(seriesKey('Wheel of Fortune'));
  });
});

describe('LibrarySpellings', () => {
  const library = {
    authors: ['J. R. R. Tolkien', 'Ada Marlowe'],
    series: ['The Expanse'],
    narrators: ['Rob Inglis', 'Cora Quist'],
  };
  const spellings = (aliases: Record<string, string[]> = {}) =>
    new LibrarySpellings(async () => library, { aliases });

  it("writes names in the library's spelling and says so", async () => {
    const { metadata, notes } = await spellings().respell('lib', {
      authors: [{ name: 'J.R.R. Tolkien' }, { name: 'Marlowe, Ada' }],
      series: [{ name: 'Expanse', sequence: '1' }],
      narrators: ['rob inglis'],
    });
    expect(metadata.authors).toEqual([{ name: 'J. R. R. Tolkien' }, { name: 'Ada Marlowe' }]);
    expect(metadata.series).toEqual([{ name: 'The Expanse', sequence: '1' }]);
    expect(metadata.narrators).toEqual(['Rob Inglis']);
    expect(notes).toContain('authors: "J.R.R. Tolkien" written as "J. R. R. Tolkien"');
  });

  it('splits narrator strings holding several people, and removes duplicates', async () => {
    const { metadata } = await spellings().respell('lib', {
      narrators: ['Rob Inglis, Cora Quist and Bram Okafor', 'Cora Quist'],
    });
    expect(metadata.narrators).toEqual(['Rob Inglis', 'Cora Quist', 'Bram Okafor']);
  });

  it('aliases join what folding cannot; new names pass unchanged and are learnt', async () => {
    const s = spellings({ 'Robert Galbraith': ['J. K. Rowling (as Robert Galbraith)'] });
    const a = await s.respell('lib', { authors: [{ name: 'J. K. Rowling (as Robert Galbraith)' }] });
    expect(a.metadata.authors).toEqual([{ name: 'Robert Galbraith' }]);
    const b = await s.respell('lib', { authors: [{ name: 'Nnedi Okorafor' }] });
    expect(b.metadata.authors).toEqual([{ name: 'Nnedi Okorafor' }]);
    await s.learn('lib', b.metadata);
    const c = await s.respell('lib', { authors: [{ name: 'NNEDI  OKORAFOR' }] });
    expect(c.metadata.authors).toEqual([{ name: 'Nnedi Okorafor' }]);
  });

  it('a library whose names cannot be read leaves names as given', async () => {
    const s = new LibrarySpellings(
      async () => {
        throw new Error('404');
      },
      { aliases: {} },
    );
    const { metadata } = await s.respell('lib', { authors: [{ name: 'J.R.R. Tolkien' }] });
    expect(metadata.authors).toEqual([{ name: 'J.R.R. Tolkien' }]);
  });
});
