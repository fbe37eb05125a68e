import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerHandlers } from '../../../mocks/providers/index.js';
import { createPlainHttp } from '../../../src/boundary/plain-http.js';
import { ProviderError } from '../../../src/errors.js';
import { cleanSequence } from '../../../src/matching/normalize.js';
import { createAudnexusClient } from '../../../src/providers/network/audnexus/api.js';
import { copyrightYear, languageName, splitPeople } from '../../../src/providers/network/text.js';

describe('text helpers', () => {
  it.each([
    ['Book 1', '1'],
    ['0.5', '0.5'],
    ['1-2', '1'],
    ['2, Dramatized Adaptation', '2'],
    ['Buch 3,5', '3.5'],
    ['Prequel', null],
    [null, null],
  ])('series position %o → %o', (raw, expected) => expect(cleanSequence(raw)).toBe(expected));

  it.each([
    ['english', 'English'],
    ['eng', 'English'],
    ['de', 'German'],
    ['/languages/fre', 'French'],
    ['klingon', 'Klingon'],
  ])('language %s → %s', (raw, expected) => expect(languageName(raw)).toBe(expected));

  it('takes the original year from an Audible copyright line', () => {
    expect(copyrightYear('©1997 J.K. Rowling (P)1999 Listening Library')).toBe('1997');
    expect(copyrightYear('no year')).toBeUndefined();
  });

  it('splits people lists', () => {
    expect(splitPeople('Weir, Andy')).toEqual(['Andy Weir']);
    expect(splitPeople('Neil Gaiman & Terry Pratchett')).toEqual(['Neil Gaiman', 'Terry Pratchett']);
  });
});

describe('audnexus author lookup', () => {
  const server = setupServer(...providerHandlers());
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  const client = createAudnexusClient(
    createPlainHttp('audnexus', { userAgent: 'test' }),
    'https://api.audnex.us',
  );
  const signal = new AbortController().signal;

  it('fetches an author by ASIN (upper-cased) and finds authors by name', async () => {
    expect(await client.author('b00g0wyw92', 'us', signal)).toMatchObject({
      asin: 'B00G0WYW92',
      name: 'Andy Weir',
    });
    expect(await client.searchAuthors('Andy Weir', 'us', signal)).toContainEqual(
      expect.objectContaining({ name: 'Andy Weir' }),
    );
    expect(await client.author('B000000000', 'us', signal)).toBeNull();
  });

  it('refuses a one-letter author search before calling', async () => {
    await expect(client.searchAuthors('A', 'us', signal)).rejects.toBeInstanceOf(ProviderError);
  });

  it('sends the User-Agent it was given', async () => {
    let ua: string | null = null;
    server.use(
      http.get('https://api.audnex.us/authors/:asin', ({ request }) => {
        ua = request.headers.get('user-agent');
        return HttpResponse.json({ asin: 'B00G0WYW92', name: 'Andy Weir' });
      }),
    );
    const withUa = createAudnexusClient(
      createPlainHttp('audnexus', { userAgent: 'abs-metadata-bridge/9 (me@example.com)' }),
      'https://api.audnex.us',
    );
    await withUa.author('B00G0WYW92', 'us', signal);
    expect(ua).toBe('abs-metadata-bridge/9 (me@example.com)');
  });
});
