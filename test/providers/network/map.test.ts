import { describe, expect, it } from 'vitest';
import { mapAudibleProduct } from '../../../src/providers/network/audible/map.js';
import { AudibleProductSchema } from '../../../src/providers/network/audible/schema.js';
import { mapAudnexusBook } from '../../../src/providers/network/audnexus/map.js';
import { AudnexusBookSchema } from '../../../src/providers/network/audnexus/schema.js';
import { mapCustomMatch } from '../../../src/providers/network/custom.js';
import { mapGoogleVolume } from '../../../src/providers/network/googlebooks.js';
import { mapHardcoverBook, mapHardcoverDocument } from '../../../src/providers/network/hardcover/map.js';
import {
  HardcoverBookSchema,
  HardcoverDocumentSchema,
} from '../../../src/providers/network/hardcover/schema.js';
import { mapITunesAudiobook } from '../../../src/providers/network/itunes.js';
import {
  mapOpenLibraryDoc,
  mapOpenLibraryEdition,
  mapOpenLibraryWork,
  OpenLibraryWorkSchema,
} from '../../../src/providers/network/openlibrary.js';
import { load } from './helpers.js';

describe('audnexus book mapping', () => {
  it.each([
    {
      file: 'book-B017V4IM1G.derived.json',
      expected: {
        title: "Harry Potter and the Sorcerer's Stone",
        series: [
          { name: 'Harry Potter', sequence: '1' },
          { name: 'Wizarding World Collection', sequence: '1' },
        ],
        publishedYear: '1997',
        publishedDate: '2015-11-20',
        language: 'English',
        durationSeconds: 498 * 60,
        genres: ["Children's Audiobooks", 'Science Fiction & Fantasy'],
        narrators: ['Jim Dale'],
        isbn: '9781781102633',
        abridged: false,
        cover: { url: 'https://m.media-amazon.com/images/I/91eopoUCjLL.jpg' },
      },
      raw: { title: "Harry Potter and the Sorcerer's Stone, Book 1" },
    },
    {
      file: 'book-B08C6YJ1LS.derived.json',
      expected: { series: [expect.objectContaining({ sequence: '0.5' })] },
      raw: {},
    },
    {
      file: 'book-B079LRSMNN.json',
      expected: { series: [expect.objectContaining({ sequence: '1' })] },
      raw: { series: [expect.objectContaining({ position: '1-2' })] },
    },
    {
      file: 'book-B08G9PRS1K.derived.json',
      expected: { title: 'Project Hail Mary', authors: [{ name: 'Andy Weir', asin: 'B00G0WYW92' }] },
      raw: {},
    },
  ])('$file', ({ file, expected, raw }) => {
    const mapped = mapAudnexusBook(AudnexusBookSchema.parse(load(`audnexus/${file}`)));
    expect(mapped.fields).toMatchObject(expected);
    expect(mapped.raw ?? {}).toMatchObject(raw);
    expect(mapped.fields.description).toMatch(/^<p>/);
  });

  it('splits genres from tags by type and never repeats a genre as a tag', () => {
    const { fields } = mapAudnexusBook(
      AudnexusBookSchema.parse(load('audnexus/book-B017V4IM1G.derived.json')),
    );
    expect(fields.tags).toContain('Fantasy & Magic');
    expect(fields.tags).not.toContain('Science Fiction & Fantasy');
  });

  it('agrees with what ABS keeps from the same book (authors, narrators, genres, series)', () => {
    const abs = load<
      Record<string, { author: string; narrator: string; genres: string[]; series: unknown[] }>
    >('abs/abs-audible-provider-cleanResult.derived.json').B017V4IM1G as {
      author: string;
      narrator: string;
      genres: string[];
      series: unknown[];
    };
    const { fields } = mapAudnexusBook(
      AudnexusBookSchema.parse(load('audnexus/book-B017V4IM1G.derived.json')),
    );
    expect(fields.authors?.map((a) => a.name).join(', ')).toBe(abs.author);
    expect(fields.narrators?.join(', ')).toBe(abs.narrator);
    expect(fields.genres).toEqual(abs.genres);
    expect(fields.series?.map((s) => ({ series: s.name, sequence: s.sequence }))).toEqual(abs.series);
  });
});

describe('audible catalog product mapping', () => {
  const product = (file: string) => {
    const body = load<{ product?: unknown }>(`audible/${file}`);
    return AudibleProductSchema.parse(body.product ?? body);
  };
  it.each([
    {
      file: 'catalog-product-B017V4IM1G.json',
      expected: {
        asin: 'B017V4IM1G',
        publishedYear: '1997',
        series: [
          { name: 'Harry Potter', sequence: '1' },
          { name: 'Wizarding World Collection', sequence: '1' },
        ],
        cover: { width: 1024, height: 1024 },
        rating: 4.9,
        genres: ["Children's Audiobooks", 'Science Fiction & Fantasy'],
      },
    },
    {
      file: 'catalog-product-B08C6YJ1LS.json',
      expected: { series: [expect.objectContaining({ sequence: '0.5' })] },
    },
    {
      file: 'catalog-product-B08G9PRS1K.json',
      expected: { title: 'Project Hail Mary', language: 'English', abridged: false },
    },
    {
      file: 'catalog-product-missing-content_delivery_type.upstream-synthetic.json',
      expected: { title: expect.any(String) },
    },
  ])('$file', ({ file, expected }) => {
    expect(mapAudibleProduct(product(file))?.fields).toMatchObject(expected);
  });

  it.each([
    ['catalog-product-delisted-placeholder-B089T8FSK6.json', 'placeholder for a title not sold here'],
    ['catalog-product-podcast-B08JC5J5HR.json', 'podcast, not a book'],
    ['catalog-product-B07BS4RKGH.title-removed.json', 'no title'],
  ])('%s is not a candidate (%s)', (file) => {
    expect(mapAudibleProduct(product(file))).toBeNull();
  });
});

describe('hardcover mapping', () => {
  it('maps a detailed book: narrators from the audio edition, series positions, tags by category', () => {
    const body = load<{ data: { books_by_pk: unknown } }>(
      'hardcover/book-details-with-contributions-series-tags.constructed.json',
    );
    const mapped = mapHardcoverBook(HardcoverBookSchema.parse(body.data.books_by_pk));
    expect(mapped.fields).toMatchObject({
      title: "Harry Potter and the Sorcerer's Stone",
      authors: [{ name: 'J.K. Rowling' }],
      narrators: ['Jim Dale'],
      series: [
        { name: 'Harry Potter', sequence: '1' },
        { name: 'Wizarding World', sequence: '1' },
      ],
      genres: ['Fantasy', 'Young Adult'],
      tags: ['adventurous', 'Magic'],
      publishedYear: '1997',
      asin: 'B017V4IM1G',
      isbn: '9781781102633',
      publisher: 'Pottermore Publishing',
      language: 'English',
      durationSeconds: 29880,
    });
    expect(mapped.fields.authors).not.toContainEqual({ name: 'Mary GrandPré' });
    expect(mapped.raw?.series).toEqual([
      expect.objectContaining({ details: '1' }),
      expect.objectContaining({ details: '1' }),
    ]);
  });

  it('maps the audio edition found by ASIN', () => {
    const body = load<{ data: { books: unknown[] } }>(
      'hardcover/book-with-audio-edition-by-asin.constructed.json',
    );
    expect(mapHardcoverBook(HardcoverBookSchema.parse(body.data.books[0])).fields).toMatchObject({
      asin: 'B08G9PRS1K',
      isbn: '9781603935470',
      publisher: 'Audible Studios',
      durationSeconds: 58253,
      language: 'English',
    });
  });

  it('maps a search document with cover size', () => {
    const body = load<{ data: { search: { results: { hits: { document: unknown }[] } } } }>(
      'hardcover/search-book-response.constructed.json',
    );
    const doc = HardcoverDocumentSchema.parse(body.data.search.results.hits[0]?.document);
    expect(mapHardcoverDocument(doc).fields).toMatchObject({
      title: 'Project Hail Mary',
      authors: [{ name: 'Andy Weir' }],
      publishedYear: '2021',
      durationSeconds: 58253,
      cover: { url: expect.stringContaining('hardcover'), width: 400, height: 600 },
    });
  });
});

describe('open library mapping', () => {
  it.each([
    {
      doc: load<{ docs: unknown[] }>('openlibrary/search-title-the-last-wish.constructed-envelope.json')
        .docs[0],
      expected: {
        title: 'The Last Wish',
        authors: [{ name: 'Andrzej Sapkowski' }],
        publishedYear: '2007',
        cover: { url: 'https://covers.openlibrary.org/b/id/7360819-L.jpg' },
      },
    },
    {
      doc: load<{ docs: unknown[] }>('openlibrary/search-docs-page-example.json').docs[0],
      expected: { title: 'The Lord of the Rings', publishedYear: '1954' },
    },
  ])('search doc $expected.title', ({ doc, expected }) => {
    const mapped = mapOpenLibraryDoc(doc as Parameters<typeof mapOpenLibraryDoc>[0]);
    expect(mapped.fields).toMatchObject(expected);
    expect(mapped.fields.tags ?? []).not.toContain('Accessible book');
  });

  it('reads a work description given as a string, and skips the -1 cover', () => {
    const work = OpenLibraryWorkSchema.parse(load('openlibrary/works-OL45804W.json'));
    expect(mapOpenLibraryWork(work).description).toMatch(/^The main character of Fantastic Mr. Fox/);
    const objectForm = OpenLibraryWorkSchema.parse({
      description: { type: '/type/text', value: 'as object' },
      covers: [-1, 5],
    });
    expect(mapOpenLibraryWork(objectForm)).toEqual({
      description: 'as object',
      cover: { url: 'https://covers.openlibrary.org/b/id/5-L.jpg' },
    });
  });

  it('maps an ISBN edition', () => {
    const edition = load('openlibrary/isbn-9780140328721.json') as Parameters<
      typeof mapOpenLibraryEdition
    >[0];
    expect(mapOpenLibraryEdition(edition)).toMatchObject({
      title: 'Fantastic Mr. Fox',
      publisher: 'Puffin',
      publishedYear: '1988',
      language: 'English',
      isbn: '9780140328721',
    });
  });
});

describe('google books mapping', () => {
  const items = load<{ items: Parameters<typeof mapGoogleVolume>[0][] }>(
    'googlebooks/volumes-search-cronache.json',
  ).items;
  it('maps the first volume: ISBN-13 preferred, https cover, Italian', () => {
    expect(mapGoogleVolume(items[0] as never).fields).toMatchObject({
      title: 'Cronache marziane',
      authors: [{ name: 'Ray Bradbury' }],
      isbn: '9788804724872',
      publishedYear: '2020',
      language: 'Italian',
      cover: { url: expect.stringMatching(/^https:\/\/books\.google\.com\/.*zoom=1/) },
    });
  });
  it.each([
    ['2020', '2020', undefined],
    ['2020-05', '2020', undefined],
    ['2020-05-01', '2020', '2020-05-01'],
  ])('publishedDate %s → year %s, date %s', (publishedDate, year, date) => {
    const fields = mapGoogleVolume({ id: 'x', volumeInfo: { title: 'T', publishedDate } }).fields;
    expect(fields.publishedYear).toBe(year);
    expect(fields.publishedDate).toBe(date);
  });
});

describe('itunes mapping', () => {
  it.each([
    [
      'search-audiobook-javascript.json',
      'JavaScript: A Guide to Learning the JavaScript Programming Language',
    ],
    ['search-audiobook-test.audiobook-results.json', 'How to Test Negative for Stupid'],
  ])('%s: strips (Unabridged), asks for 600x600 artwork', (file, title) => {
    const first = load<{ results: Parameters<typeof mapITunesAudiobook>[0][] }>(`itunes/${file}`).results[0];
    const { fields } = mapITunesAudiobook(first as never);
    expect(fields.title).toBe(title);
    expect(fields.cover).toMatchObject({
      url: expect.stringMatching(/\/600x600bb\.jpg$/),
      width: 600,
      height: 600,
    });
    expect(fields.narrators).toBeUndefined();
  });
});

describe('ABS custom provider mapping', () => {
  it('maps the spec response (duration in minutes, series sequence as text)', () => {
    const match = load<{ matches: unknown[] }>('abs/custom-provider-search-response.constructed.json')
      .matches[0];
    expect(mapCustomMatch(match as never, 0)?.fields).toMatchObject({
      title: "Harry Potter and the Sorcerer's Stone",
      authors: [{ name: 'J.K. Rowling' }],
      narrators: ['Jim Dale'],
      durationSeconds: 498 * 60,
      asin: 'B017V4IM1G',
      series: [
        { name: 'Harry Potter', sequence: '1' },
        { name: 'Wizarding World Collection', sequence: '1' },
      ],
    });
  });
  it('accepts genres as a comma string and drops matches without a title', () => {
    expect(
      mapCustomMatch({ title: 'X', genres: ['Fantasy', ' Horror', 'fantasy'] }, 0)?.fields.genres,
    ).toEqual(['Fantasy', 'Horror']);
    expect(mapCustomMatch({ title: '  ' }, 0)).toBeNull();
  });
});
