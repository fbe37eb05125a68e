import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  customProviderHandlers,
  MOCK_CUSTOM_AUTH,
  MOCK_HARDCOVER_TOKEN,
  providerHandlers,
} from '../../../mocks/providers/index.js';
import { runProvider } from '../../../src/aggregate/run-provider.js';
import { buildProviders } from '../../../src/app/providers.js';
import { type ConfigInput, ConfigSchema } from '../../../src/config/schema.js';
import { type LookupContext, makeLookupContext } from '../../../src/domain/lookup.js';
import { AuthError, ProviderError, ValidationError } from '../../../src/errors.js';
import { EventBus } from '../../../src/events/bus.js';
import { silentLogger } from '../../../src/logging.js';
import { googleQuery } from '../../../src/providers/network/googlebooks.js';
import type { AsyncProvider } from '../../../src/providers/types.js';
import { load } from './helpers.js';

const CUSTOM_URL = 'https://provider.example/abs';
const server = setupServer(...providerHandlers(), ...customProviderHandlers(CUSTOM_URL));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function providers(providersConfig: ConfigInput['providers'] = {}): Record<string, AsyncProvider> {
  const config = ConfigSchema.parse({
    providers: {
      hardcover: { enabled: true, token: MOCK_HARDCOVER_TOKEN },
      custom: [{ name: 'goodreads', url: CUSTOM_URL, authHeader: MOCK_CUSTOM_AUTH }],
      ...providersConfig,
    },
  });
  const list = buildProviders(
    { ...config, userAgent: 'abs-metadata-bridge-test/1.0 (test@example.com)' },
    { logger: silentLogger(), events: new EventBus() },
  ).filter((p) => p.kind === 'network');
  return Object.fromEntries(list.map((p) => [p.id, p as AsyncProvider]));
}
const all = providers();
const signal = new AbortController().signal;
/** The value of `param` in every request to `prefix` while `run` runs. */
async function sentParams(prefix: string, param: string, run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  server.events.on('request:start', ({ request }) => {
    if (request.url.startsWith(prefix)) sent.push(new URL(request.url).searchParams.get(param) ?? '');
  });
  try {
    await run();
  } finally {
    server.events.removeAllListeners();
  }
  return sent;
}
const lookup = (id: string, ctx: Partial<LookupContext>) => {
  const p = all[id];
  if (!p) throw new Error(`no provider ${id}`);
  return p.lookup(makeLookupContext(ctx), { signal });
};

describe('buildProviders: the network providers', () => {
  it('builds every enabled provider with honest capabilities, config weights and timeouts', () => {
    expect(Object.keys(all)).toEqual([
      'audible',
      'audnexus',
      'hardcover',
      'openlibrary',
      'googlebooks',
      'itunes',
      'custom:goodreads',
    ]);
    expect(all.audnexus?.capabilities.idTypes).toEqual(['asin']);
    expect(all.itunes?.capabilities.idTypes).toEqual(['search']);
    expect(all.hardcover?.weight).toBe(0.9);
    expect(all.audible?.capabilities.supportsBatch).toBe(true);
  });

  it('skips hardcover without a token and honours enabled:false', () => {
    const some = providers({ hardcover: { enabled: true }, itunes: { enabled: false } });
    expect(Object.keys(some)).not.toContain('hardcover');
    expect(Object.keys(some)).not.toContain('itunes');
  });
});

describe('audnexus', () => {
  it('looks a lower-case ASIN up upper-cased, with chapters fitted to the file', async () => {
    const result = await lookup('audnexus', { asin: ' b08g9prs1k ', durationSeconds: 58252.995 - 7.104 });
    expect(result).toMatchObject({ success: true, matchedBy: 'asin', matchConfidence: 1 });
    expect(result.fields).toMatchObject({ asin: 'B08G9PRS1K', title: 'Project Hail Mary' });
    expect(result.fields.chapters?.length).toBe(33);
    expect(result.notes?.join(' ')).toMatch(/shifted by 2.043 s/);
  });

  it('does not apply chapters that do not fit the real duration, and says so', async () => {
    const result = await lookup('audnexus', { asin: 'B08G9PRS1K', durationSeconds: 3600 });
    expect(result.success).toBe(true);
    expect(result.fields.chapters).toBeUndefined();
    expect(result.notes?.join(' ')).toMatch(/chapters not applied/);
  });

  it('on 404 REGION_UNAVAILABLE asks the other regions', async () => {
    const seen: string[] = [];
    server.use(
      http.get('https://api.audnex.us/books/B017V4IM1G', ({ request }) => {
        const region = new URL(request.url).searchParams.get('region') ?? '';
        seen.push(region);
        if (region !== 'de')
          return HttpResponse.json(load('audnexus/error-404-region-unavailable.json'), { status: 404 });
        return HttpResponse.json(load('audnexus/book-B017V4IM1G.derived.json'));
      }),
    );
    const result = await lookup('audnexus', { asin: 'B017V4IM1G', region: 'uk' });
    expect(result.success).toBe(true);
    expect(seen).toEqual(['uk', 'us', 'ca', 'au', 'de']);
    expect(result.notes).toContain('found in region de (not available in uk)');
  });

  it.each([
    ['B089T8FSK6', 'delisted everywhere'],
    ['B08JC5J5HR', 'a podcast (400 CONTENT_TYPE_MISMATCH)'],
  ])('%s is not found (%s), not an error', async (asin) => {
    const result = await lookup('audnexus', { asin });
    expect(result).toMatchObject({ success: false, fields: {} });
    expect(result.error).toBeUndefined();
  });

  it('keeps the book when chapters are missing (Fastify 404 shape)', async () => {
    server.use(
      http.get('https://api.audnex.us/books/B017V4IM1G/chapters', () =>
        HttpResponse.json(load('audnexus/error-404-no-chapters.json'), { status: 404 }),
      ),
    );
    const result = await lookup('audnexus', { asin: 'B017V4IM1G' });
    expect(result.success).toBe(true);
    expect(result.notes).toContain('Audnexus has no chapters for this book');
  });

  it.each([
    ['400 bad region', 400, 'audnexus/error-400-bad-region.json', ProviderError, /Invalid region/],
    ['429 rate limited', 429, 'audnexus/error-429-rate-limited.json', ProviderError, /429/],
  ])('%s → typed error', async (_name, status, file, type, message) => {
    server.use(
      http.get('https://api.audnex.us/books/:asin', () =>
        HttpResponse.json(load(file), { status, headers: { 'retry-after': '7' } }),
      ),
    );
    const error = await lookup('audnexus', { asin: 'B017V4IM1G' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    if (status === 429) expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000 });
  });

  it('malformed JSON and a wrong shape become typed errors, and an error result in the aggregator', async () => {
    server.use(
      http.get(
        'https://api.audnex.us/books/:asin',
        () => new HttpResponse('{"asin": "B0', { headers: { 'content-type': 'application/json' } }),
      ),
    );
    await expect(lookup('audnexus', { asin: 'B017V4IM1G' })).rejects.toMatchObject({
      code: 'MALFORMED_RESPONSE',
    });
    server.use(
      http.get('https://api.audnex.us/books/:asin', () =>
        HttpResponse.json({ asin: 'B017V4IM1G', title: 42 }),
      ),
    );
    await expect(lookup('audnexus', { asin: 'B017V4IM1G' })).rejects.toThrow(/title/);
    const outcome = await runProvider(
      all.audnexus as AsyncProvider,
      makeLookupContext({ asin: 'B017V4IM1G' }),
      { timeoutMs: 5000, events: new EventBus() },
    );
    expect(outcome.result).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_FAILED', retryable: false },
    });
  });
});

describe('audible catalog', () => {
  it('searches by keywords and returns every candidate scored, best first', async () => {
    const result = await lookup('audible', {
      title: 'Project Hail Mary',
      authors: ['Andy Weir'],
      durationSeconds: 58253,
    });
    expect(result.success).toBe(true);
    expect(result.fields.asin).toBe('B08G9PRS1K');
    expect(result.matchConfidence).toBeGreaterThan(0.8);
    expect(result.candidates[0]).toMatchObject({
      id: 'B08G9PRS1K',
      provider: 'audible',
      explanation: expect.any(Object),
    });
    const scores = result.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('a good first answer costs one search; a typo the search does not forgive is retried', async () => {
    const search = 'https://api.audible.com/1.0/catalog/products';
    const good = await sentParams(search, 'keywords', () =>
      lookup('audible', { title: 'Project Hail Mary', authors: ['Andy Weir'], durationSeconds: 58253 }),
    );
    expect(good).toEqual(['Project Hail Mary Andy Weir']);
    let result: Awaited<ReturnType<typeof lookup>> | undefined;
    // "Projectt" finds nothing; the doubled letter typed once does.
    const retried = await sentParams(search, 'keywords', async () => {
      result = await lookup('audible', { title: 'Projectt' });
    });
    expect(retried).toEqual(['Projectt', 'Project']);
    expect(result?.candidates.map((c) => c.id)).toContain('B08G9PRS1K');
  });

  it('only the right work on a full page: one field search lists its editions (exhaustive)', async () => {
    const search = 'https://api.audible.com/1.0/catalog/products';
    const one = load<{ product: Record<string, unknown> }>('audible/catalog-product-B08G9PRS1K.json').product;
    const page = Array.from({ length: 20 }, (_, i) =>
      i === 0 ? one : { ...one, asin: `B0FILLER${String(i).padStart(2, '0')}`, title: `Other Book ${i}` },
    );
    server.use(
      http.get(search, ({ request }) =>
        HttpResponse.json({ products: new URL(request.url).searchParams.has('title') ? [one] : page }),
      ),
    );
    let result: Awaited<ReturnType<typeof lookup>> | undefined;
    // Title and author only: no length, narrator or year to confirm which edition it is.
    const titles = await sentParams(search, 'title', async () => {
      result = await lookup('audible', { title: 'Project Hail Mary', authors: ['Andy Weir'] });
    });
    expect(titles.filter(Boolean)).toEqual(['Project Hail Mary']);
    expect(result?.exhaustive).toBe(true);
    expect(result?.fields.asin).toBe('B08G9PRS1K');
    // With the length known the edition is confirmed: no extra search.
    const confirmed = await sentParams(search, 'title', () =>
      lookup('audible', { title: 'Project Hail Mary', authors: ['Andy Weir'], durationSeconds: 58253 }),
    );
    expect(confirmed.filter(Boolean)).toEqual([]);
  });

  it('several title words: no fallback searches even when nothing is found', async () => {
    const sent = await sentParams('https://api.audible.com/1.0/catalog/products', 'keywords', () =>
      lookup('audible', { title: 'Nothing Herre At All', authors: ['Nobody Atall'] }),
    );
    expect(sent).toEqual(['Nothing Herre At All Nobody Atall', 'Nothing Herre At All']);
  });

  it('treats a placeholder product as not found', async () => {
    server.use(
      http.get('https://api.audible.com/1.0/catalog/products/:asin', () =>
        HttpResponse.json({ product: load('audible/catalog-product-delisted-placeholder-B089T8FSK6.json') }),
      ),
    );
    const result = await lookup('audible', { asin: 'B089T8FSK6' });
    expect(result).toMatchObject({ success: false });
    expect(result.notes?.[0]).toMatch(/not sold/);
  });

  it('uses the region host, and baseUrl wins over it', async () => {
    const hosts: string[] = [];
    server.use(
      http.get('https://api.audible.co.uk/1.0/catalog/products', ({ request }) => {
        hosts.push(new URL(request.url).host);
        return HttpResponse.json(load('audible/catalog-search-empty.constructed.json'));
      }),
    );
    await lookup('audible', { title: 'Nothing Here', region: 'uk' });
    expect(hosts[0]).toBe('api.audible.co.uk');
    const custom = providers({ audible: { baseUrl: 'https://audible.mirror.test' } })
      .audible as AsyncProvider;
    server.use(
      http.get('https://audible.mirror.test/1.0/catalog/products', () =>
        HttpResponse.json(load('audible/catalog-search-empty.constructed.json')),
      ),
    );
    expect(
      (await custom.lookup(makeLookupContext({ title: 'Nothing', region: 'uk' }), { signal })).success,
    ).toBe(false);
  });

  it('a validation error body → ProviderError naming the problem', async () => {
    server.use(
      http.get('https://api.audible.com/1.0/catalog/products', () =>
        HttpResponse.json(load('audible/catalog-error-validation.json'), { status: 400 }),
      ),
    );
    await expect(lookup('audible', { title: 'x' })).rejects.toThrow(/HTTP 400.*validation error detected/);
  });

  it('looks several ASINs up in one asins= request', async () => {
    let calls = 0;
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('asins=')) calls++;
    });
    const results = await all.audible?.lookupBatch?.(
      [makeLookupContext({ asin: 'B017V4IM1G' }), makeLookupContext({ asin: 'B08C6YJ1LS' })],
      { signal },
    );
    server.events.removeAllListeners();
    expect(results?.map((r) => r.fields.asin)).toEqual(['B017V4IM1G', 'B08C6YJ1LS']);
    expect(calls).toBe(1);
  });
});

describe('hardcover', () => {
  it('finds a book by ASIN on its audio edition', async () => {
    const result = await lookup('hardcover', { asin: 'B08G9PRS1K' });
    expect(result).toMatchObject({
      success: true,
      matchedBy: 'asin',
      fields: { title: 'Project Hail Mary', durationSeconds: 58253 },
    });
  });
  it('finds a book by ISBN with narrators and series', async () => {
    const result = await lookup('hardcover', { isbn: '978-1-78110-263-3' });
    expect(result).toMatchObject({
      success: true,
      matchedBy: 'isbn',
      fields: {
        narrators: ['Jim Dale'],
        series: [
          { name: 'Harry Potter', sequence: '1' },
          { name: 'Wizarding World', sequence: '1' },
        ],
      },
    });
  });
  it('searches, then fetches details for the best hit', async () => {
    const result = await lookup('hardcover', { title: 'Project Hail Mary', authors: ['Andy Weir'] });
    expect(result.success).toBe(true);
    expect(result.candidates[0]?.id).toBe('427578');
    expect(result.fields.asin).toBe('B08G9PRS1K');
  });
  it.each([
    [401, 'hardcover/error-401-invalid-token.json', AuthError],
    [403, 'hardcover/error-403-insufficient-scope.json', AuthError],
    [429, 'hardcover/error-429-too-many-requests.json', ProviderError],
  ])('HTTP %i → %o', async (status, file, type) => {
    server.use(
      http.post('https://api.hardcover.app/v1/graphql', () => HttpResponse.json(load(file), { status })),
    );
    await expect(lookup('hardcover', { title: 'x' })).rejects.toBeInstanceOf(type);
  });
  it('GraphQL errors inside a 200 → ProviderError GRAPHQL_ERROR with the message', async () => {
    server.use(
      http.post('https://api.hardcover.app/v1/graphql', () =>
        HttpResponse.json(load('hardcover/error-200-graphql-errors.constructed.json')),
      ),
    );
    await expect(lookup('hardcover', { title: 'x' })).rejects.toMatchObject({
      code: 'GRAPHQL_ERROR',
      message: expect.stringMatching(/nonexistent_field/),
    });
  });
});

describe('open library, google books, itunes', () => {
  it('open library: search then the work adds nothing it does not have (404 work is fine)', async () => {
    const result = await lookup('openlibrary', { title: 'The Last Wish', authors: ['Andrzej Sapkowski'] });
    expect(result).toMatchObject({
      success: true,
      fields: { title: 'The Last Wish', publishedYear: '2007' },
    });
  });
  it('open library: ISBN falls back to the edition, and the work description', async () => {
    const result = await lookup('openlibrary', { isbn: '9780140328721' });
    expect(result).toMatchObject({
      success: true,
      matchedBy: 'isbn',
      fields: { title: 'Fantastic Mr. Fox', publisher: 'Puffin' },
    });
  });
  it('google books: no items key = not found', async () => {
    const result = await lookup('googlebooks', { title: 'Nothing Like This', authors: ['Nobody'] });
    expect(result).toMatchObject({ success: false, candidates: [] });
    expect(result.error).toBeUndefined();
  });
  it('google books: finds by isbn: and by intitle:', async () => {
    expect((await lookup('googlebooks', { isbn: '9788804724872' })).fields.title).toBe('Cronache marziane');
    expect(
      (await lookup('googlebooks', { title: 'Cronache marziane', authors: ['Ray Bradbury'] })).fields.isbn,
    ).toBe('9788804724872');
  });
  it.each<[string, string | undefined, string]>([
    ['Cronache marziane', 'Ray Bradbury', 'intitle:"Cronache marziane" inauthor:"Ray Bradbury"'],
    ['Say "Hi"', undefined, 'intitle:"Say Hi"'],
    ['', 'Ray Bradbury', 'inauthor:"Ray Bradbury"'],
    ['', undefined, ''],
  ])('google books: googleQuery(%j, %j) → %s', (title, author, expected) => {
    expect(googleQuery(title, author)).toBe(expected);
  });
  it('google books: a mistyped title is retried with the doubled letter typed once', async () => {
    let result: Awaited<ReturnType<typeof lookup>> | undefined;
    const sent = await sentParams('https://www.googleapis.com/books/v1/volumes', 'q', async () => {
      result = await lookup('googlebooks', { title: 'Cronachee', authors: ['Ray Bradbury'] });
    });
    expect(sent).toEqual([
      'intitle:"Cronachee" inauthor:"Ray Bradbury"',
      'intitle:"Cronachee"',
      'intitle:"Cronache" inauthor:"Ray Bradbury"',
      // The repaired title found the book, but "Cronache" is not the whole title: not good enough.
      'inauthor:"Ray Bradbury"',
    ]);
    expect(result?.candidates[0]?.title).toBe('Cronache marziane');
  });
  it('google books: the 429 envelope → retryable ProviderError', async () => {
    server.use(
      http.get('https://www.googleapis.com/books/v1/volumes', () =>
        HttpResponse.json(load('googlebooks/error-429-rate-limit.constructed.json'), { status: 429 }),
      ),
    );
    await expect(lookup('googlebooks', { title: 'x' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
    });
  });
  it('google books: the same envelope with 403 is a rate limit, not an auth failure', async () => {
    server.use(
      http.get('https://www.googleapis.com/books/v1/volumes', () =>
        HttpResponse.json(load('googlebooks/error-429-rate-limit.constructed.json'), { status: 403 }),
      ),
    );
    await expect(lookup('googlebooks', { title: 'x' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      status: 403,
    });
  });
  it('itunes: search sends media=audiobook and the configured country', async () => {
    let query: URLSearchParams | undefined;
    server.events.on('request:start', ({ request }) => {
      if (request.url.startsWith('https://itunes.apple.com')) query = new URL(request.url).searchParams;
    });
    const result = await lookup('itunes', {
      title: 'How to Test Negative for Stupid',
      authors: ['John Kennedy'],
    });
    server.events.removeAllListeners();
    expect(result.fields.title).toBe('How to Test Negative for Stupid');
    expect(query?.get('media')).toBe('audiobook');
    expect(query?.get('entity')).toBe('audiobook');
    expect(query?.get('country')).toBe('US');
  });
});

describe('ABS custom provider adapter', () => {
  it('sends what ABS sends (query, author, mediaType, Authorization) and maps matches', async () => {
    let seen: Request | undefined;
    server.events.on('request:start', ({ request }) => {
      if (request.url.startsWith(CUSTOM_URL)) seen = request;
    });
    const result = await lookup('custom:goodreads', {
      title: "Harry Potter and the Sorcerer's Stone",
      authors: ['J.K. Rowling'],
      isbn: '9781781102633',
    });
    server.events.removeAllListeners();
    const url = new URL(seen?.url ?? 'http://x');
    expect(url.pathname).toBe('/abs/search');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      mediaType: 'book',
      query: "Harry Potter and the Sorcerer's Stone",
      author: 'J.K. Rowling',
      isbn: '9781781102633',
    });
    expect(seen?.headers.get('authorization')).toBe(MOCK_CUSTOM_AUTH);
    expect(result).toMatchObject({
      success: true,
      provider: 'custom:goodreads',
      fields: { asin: 'B017V4IM1G' },
    });
  });
  it('a body without matches → ValidationError; a 500 → retryable ProviderError', async () => {
    await expect(lookup('custom:goodreads', { title: 'malformed' })).rejects.toBeInstanceOf(ValidationError);
    await expect(lookup('custom:goodreads', { title: 'servererror' })).rejects.toMatchObject({
      retryable: true,
      status: 500,
    });
  });
  it('a wrong auth header → AuthError (401)', async () => {
    const other = providers({ custom: [{ name: 'x', url: CUSTOM_URL, authHeader: 'Bearer wrong' }] })[
      'custom:x'
    ] as AsyncProvider;
    await expect(other.lookup(makeLookupContext({ title: 'Dune' }), { signal })).rejects.toBeInstanceOf(
      AuthError,
    );
  });
});
