import { describe, expect, it } from 'vitest';
import {
  cacheIdentityOf,
  globToRegExp,
  makeCacheKey,
  parseCacheKey,
  searchIdentifier,
} from '../../src/cache/keys.js';
import { makeLookupContext } from '../../src/domain/lookup.js';

describe('cache keys', () => {
  it('builds versioned keys and parses them back, provider ids with colons included', () => {
    const key = makeCacheKey('custom:my-shelf', 'isbn', '9780765326355', 'us');
    expect(key).toBe('2.0.0:custom:my-shelf:isbn:9780765326355:us');
    expect(parseCacheKey(key)).toEqual({
      schemaVersion: '2.0.0',
      provider: 'custom:my-shelf',
      idType: 'isbn',
      identifier: '9780765326355',
      region: 'us',
    });
    expect(parseCacheKey('bridge-state:item:1')).toBeUndefined();
  });

  it.each([
    [
      'asin is trimmed and upper-cased',
      { asin: ' b003p2wo5e ', isbn: '978-0-7653-2635-5' },
      ['asin', 'isbn'],
      'asin',
      'B003P2WO5E',
    ],
    [
      'isbn digits only when the provider has no asin lookup',
      { asin: 'B003P2WO5E', isbn: '978-0-7653-2635-5' },
      ['isbn', 'search'],
      'isbn',
      '9780765326355',
    ],
    [
      'search key ignores case, accents, punctuation and author order',
      { title: 'Les Misérables!', authors: ['Victor Hugo', 'A. Translator'] },
      ['search'],
      'search',
      'les miserables|a translator,victor hugo',
    ],
  ] as const)('%s', (_name, input, idTypes, idType, identifier) => {
    const ctx = makeLookupContext({ ...input, authors: 'authors' in input ? [...input.authors] : [] });
    expect(cacheIdentityOf(ctx, idTypes)).toEqual({ idType, identifier });
  });

  it('has no identity when nothing identifies the book', () => {
    expect(cacheIdentityOf(makeLookupContext({ title: '  ' }), ['asin', 'search'])).toBeUndefined();
    expect(searchIdentifier('Dune', ['Frank Herbert'])).toBe(searchIdentifier('dune', ['FRANK  HERBERT']));
  });

  it.each([
    ['2.0.0:audnexus:*', '2.0.0:audnexus:asin:B0:us', true],
    ['2.0.0:audnexus:*', '2.0.0:audible:asin:B0:us', false],
    ['*:asin:B0?:*', '1.0.0:x:asin:B01:uk', true],
    ['2.0.0:a.b:*', '2.0.0:axb:asin:1:us', false],
  ])('glob %s vs %s → %s', (pattern, key, matches) => {
    expect(globToRegExp(pattern).test(key)).toBe(matches);
  });
});
