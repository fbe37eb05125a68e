import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFolderProvider } from '../../../src/providers/local/folder.js';
import { parseItemPath } from '../../../src/providers/local/folder-parse.js';

describe('parseItemPath', () => {
  it.each([
    [
      '/lib/Brandon Sanderson/Mistborn/03 - The Hero of Ages',
      {
        title: 'The Hero of Ages',
        authors: ['Brandon Sanderson'],
        series: { name: 'Mistborn', sequence: '3' },
      },
    ],
    [
      '/lib/Brandon Sanderson/Mistborn/Book 3 - The Hero of Ages',
      { title: 'The Hero of Ages', series: { name: 'Mistborn', sequence: '3' } },
    ],
    [
      '/lib/Terry Pratchett/Discworld/Vol. 2 - The Light Fantastic {Nigel Planer}',
      {
        title: 'The Light Fantastic',
        narrators: ['Nigel Planer'],
        series: { name: 'Discworld', sequence: '2' },
      },
    ],
    ['/lib/Andy Weir/Project Hail Mary', { title: 'Project Hail Mary', authors: ['Andy Weir'] }],
    [
      '/audiobooks/Andy Weir - Project Hail Mary (Unabridged)',
      { title: 'Project Hail Mary', authors: ['Andy Weir'], abridged: false },
    ],
    [
      "/Books/Harry Potter and the Sorcerer's Stone [B017V4IM1G]",
      { title: "Harry Potter and the Sorcerer's Stone", asin: 'B017V4IM1G', authors: [] },
    ],
    ['/lib/Author/2019 - Some Title', { title: 'Some Title', publishedYear: '2019' }],
    ['/lib/Stephen King/The Stand (1978)', { title: 'The Stand', publishedYear: '1978' }],
    ['/lib/Author/101 Dalmatians', { title: '101 Dalmatians' }],
    [
      '/lib/Martha Wells/All Systems Red (The Murderbot Diaries #1)',
      { title: 'All Systems Red', series: { name: 'The Murderbot Diaries', sequence: '1' } },
    ],
    [
      '/lib/Frank Herbert/Dune (Narrated by Scott Brick)/CD1',
      { title: 'Dune', authors: ['Frank Herbert'], narrators: ['Scott Brick'] },
    ],
    ['/downloads/Dune 9780441013593', { title: 'Dune', isbn: '9780441013593' }],
    ['/downloads/Dune 9780441013594', { title: 'Dune 9780441013594' }],
    [
      "/audiobooks/Rowling, J.K. - Harry Potter, Book 1 - Philosopher's Stone",
      {
        title: "Philosopher's Stone",
        authors: ['J.K. Rowling'],
        series: { name: 'Harry Potter', sequence: '1' },
      },
    ],
    ['C:\\Audiobooks\\Frank Herbert\\Dune', { title: 'Dune', authors: ['Frank Herbert'] }],
  ])('%s', (input, expected) => {
    expect(parseItemPath(input)).toMatchObject(expected);
  });

  it('takes an ASIN from Libation file names when the folder has none', () => {
    const parsed = parseItemPath('/books/Some Book', ['Some Book [B0TAGGED01].m4b']);
    expect(parsed).toMatchObject({ asin: 'B0TAGGED01', from: { asin: 'file' } });
  });

  it('never throws and returns strings only, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 5 }),
        fc.array(fc.string(), { maxLength: 3 }),
        (segments, files) => {
          const parsed = parseItemPath(segments.join('/'), files);
          expect(parsed.title === undefined || typeof parsed.title === 'string').toBe(true);
          expect(parsed.authors.every((a) => a.length > 0)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('folder provider', () => {
  it('names the folder each value came from and trusts a bracketed ASIN', () => {
    const provider = createFolderProvider({ weight: 0.5 });
    const result = provider.lookupSync({
      path: '/lib/Martha Wells/The Murderbot Diaries/01 - All Systems Red [B075DHVH1W]',
      authors: [],
      narrators: [],
      series: [],
      fileNames: [],
    });
    expect(result.success).toBe(true);
    expect(result.fields).toMatchObject({
      title: 'All Systems Red',
      asin: 'B075DHVH1W',
      authors: [{ name: 'Martha Wells' }],
    });
    expect(result.sourceRefs?.authors).toBe('/lib/Martha Wells (folder name)');
    expect(result.sourceRefs?.series).toBe('/lib/Martha Wells/The Murderbot Diaries (folder name)');
    expect(result.matchedBy).toBe('asin');
    expect(result.confidence.asin).toBeGreaterThan(result.confidence.title ?? 1);
  });

  it('finds nothing without a path', () => {
    const provider = createFolderProvider({ weight: 0.5 });
    expect(provider.lookupSync({ authors: [], narrators: [], series: [], fileNames: [] }).success).toBe(
      false,
    );
  });
});
