import { describe, expect, it } from 'vitest';
import { cacheIdentityOf, makeCacheKey } from '../../src/cache/keys.js';
import { cleanIsbn, isValidIsbn, normalizeAsin, normalizeIsbn } from '../../src/domain/identifiers.js';

describe('identifiers: one rule for readers, matcher and cache keys', () => {
  it('accepts ASINs only in the ABS shape, trimmed and upper-cased', () => {
    expect(normalizeAsin(' b017v4im1g ')).toBe('B017V4IM1G');
    expect(normalizeAsin('B017V4IM1')).toBeUndefined();
    expect(normalizeAsin('not-an-asin')).toBeUndefined();
    expect(normalizeAsin('  ')).toBeUndefined();
    expect(normalizeAsin(42)).toBeUndefined();
  });

  it('validates ISBN checksums', () => {
    expect(isValidIsbn('978-0-441-01359-3')).toBe(true);
    expect(isValidIsbn('9780441013594')).toBe(false);
    expect(isValidIsbn('0441013597')).toBe(true);
    expect(isValidIsbn('0441013590')).toBe(false);
  });

  it.each([
    ['978-0-7653-2635-5', '9780765326355'],
    ['urn:isbn:0-7653-2635-3', '0765326353'],
    ['ISBN 0 306 40615 2', '0306406152'],
    ['isbn-13: 978-0-306-40615-7', '9780306406157'],
    ['080442957x', '080442957X'],
    ['978-0-7653-2635-4', undefined],
    ['12345', undefined],
    ['', undefined],
  ])('cleanIsbn(%j) → %j (as written, separators gone)', (input, expected) => {
    expect(cleanIsbn(input)).toBe(expected);
  });

  it('an ISBN-10 and its ISBN-13 compare equal', () => {
    expect(normalizeIsbn('0-306-40615-2')).toBe('9780306406157');
    expect(normalizeIsbn('978-0-306-40615-7')).toBe('9780306406157');
    expect(normalizeIsbn('0765326353')).toBe(normalizeIsbn('978-0-7653-2635-5'));
  });

  it('so the cache keys of one book agree whichever ISBN form the item carries', () => {
    const key = (isbn: string) => {
      const id = cacheIdentityOf({ isbn, authors: [], narrators: [], series: [], fileNames: [] }, ['isbn']);
      return id && makeCacheKey('openlibrary', id.idType, id.identifier, 'us');
    };
    expect(key('0-7653-2635-3')).toBe('2.0.0:openlibrary:isbn:9780765326355:us');
    expect(key('978-0-7653-2635-5')).toBe(key('0-7653-2635-3'));
  });
});
