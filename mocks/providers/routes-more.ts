import { fixture, overlap } from './fixtures.js';
import type { MockRequest, MockResponse } from './routes.js';

const ok = (body: unknown): MockResponse => ({ status: 200, body });

/** The token the Hardcover mock accepts (`Bearer <token>`). */
export const MOCK_HARDCOVER_TOKEN = 'mock-hardcover-token';

type Book = Record<string, unknown> & { id: number };

function hardcoverBooks(): Book[] {
  const details = fixture<{ data: { books_by_pk: Book } }>(
    'hardcover/book-details-with-contributions-series-tags.constructed.json',
  );
  const byAsin = fixture<{ data: { books: Book[] } }>(
    'hardcover/book-with-audio-edition-by-asin.constructed.json',
  );
  return [details.data.books_by_pk, ...byAsin.data.books];
}

function editionsOf(book: Book): Record<string, unknown>[] {
  const list = (book.editions as Record<string, unknown>[] | undefined) ?? [];
  return book.default_audio_edition ? [...list, book.default_audio_edition as Record<string, unknown>] : list;
}

/** Hardcover GraphQL: bearer check, then by operation name (search, by ASIN/ISBN/id). */
export function hardcoverRoute(req: MockRequest): MockResponse {
  const auth = req.headers.authorization ?? '';
  if (auth !== `Bearer ${MOCK_HARDCOVER_TOKEN}`)
    return { status: 401, body: fixture('hardcover/error-401-invalid-token.json') };
  if (req.method !== 'POST' || req.path !== '/v1/graphql')
    return { status: 404, body: { error: 'not found' } };
  const body = (req.body ?? {}) as { operationName?: string; variables?: Record<string, unknown> };
  const vars = body.variables ?? {};
  const books = hardcoverBooks();
  switch (body.operationName) {
    case 'BridgeSearch': {
      const found = fixture<{ data: { search: { results: { hits: unknown[] } } } }>(
        'hardcover/search-book-response.constructed.json',
      );
      if (!overlap(String(vars.query ?? ''), 'project hail mary andy weir'))
        found.data.search.results.hits = [];
      return ok(found);
    }
    case 'BridgeBookByAsin': {
      const hit = books.filter((b) => editionsOf(b).some((e) => e.asin === vars.asin));
      return ok({
        data: {
          books: hit.map((b) => ({ ...b, editions: editionsOf(b).filter((e) => e.asin === vars.asin) })),
        },
      });
    }
    case 'BridgeBookByIsbn': {
      const match = (e: Record<string, unknown>) => e.isbn_13 === vars.isbn || e.isbn_10 === vars.isbn;
      const hit = books.filter((b) => editionsOf(b).some(match));
      return ok({ data: { books: hit.map((b) => ({ ...b, editions: editionsOf(b).filter(match) })) } });
    }
    case 'BridgeBookById':
      return ok({ data: { books_by_pk: books.find((b) => b.id === vars.id) ?? null } });
    default:
      return ok(fixture('hardcover/error-200-graphql-errors.constructed.json'));
  }
}

/** Open Library: search.json by title/author (ISBN search finds nothing: the edition route answers), works, isbn. */
export function openLibraryRoute(req: MockRequest): MockResponse {
  if (req.path === '/search.json') {
    const q = `${req.query.get('title') ?? ''} ${req.query.get('q') ?? ''}`;
    if (overlap(q, 'the last wish') >= 2)
      return ok(fixture('openlibrary/search-title-the-last-wish.constructed-envelope.json'));
    if (overlap(q, 'lord of the rings') >= 2) return ok(fixture('openlibrary/search-docs-page-example.json'));
    return ok(fixture('openlibrary/search-empty.constructed.json'));
  }
  if (req.path === '/works/OL45804W.json') return ok(fixture('openlibrary/works-OL45804W.json'));
  if (req.path === '/isbn/9780140328721.json' || req.path === '/isbn/0140328726.json')
    return ok(fixture('openlibrary/isbn-9780140328721.json'));
  return { status: 404, body: { error: 'notfound', key: req.path } };
}

/** Google Books volumes: `isbn:` and `intitle:` against the recorded search; else no `items`. */
export function googleBooksRoute(req: MockRequest): MockResponse {
  if (req.path !== '/books/v1/volumes')
    return { status: 404, body: { error: { code: 404, message: 'Not Found' } } };
  const q = req.query.get('q') ?? '';
  const recorded = fixture<{
    items: { volumeInfo: { title: string; industryIdentifiers?: { identifier: string }[] } }[];
  }>('googlebooks/volumes-search-cronache.json');
  const isbn = /isbn:(\S+)/.exec(q)?.[1];
  const items = recorded.items.filter((v) =>
    isbn
      ? v.volumeInfo.industryIdentifiers?.some((i) => i.identifier === isbn)
      : overlap(q.replace(/\b(intitle|inauthor):/g, ' '), v.volumeInfo.title) > 0,
  );
  return ok(
    items.length
      ? { ...recorded, totalItems: items.length, items }
      : fixture('googlebooks/volumes-search-empty.json'),
  );
}

/** iTunes search over the recorded audiobooks. */
export function iTunesRoute(req: MockRequest): MockResponse {
  if (req.path !== '/search') return { status: 404, body: '' };
  const term = req.query.get('term') ?? '';
  const all = [
    ...fixture<{ results: { collectionName: string; artistName: string }[] }>(
      'itunes/search-audiobook-test.audiobook-results.json',
    ).results,
    ...fixture<{ results: { collectionName: string; artistName: string }[] }>(
      'itunes/search-audiobook-javascript.json',
    ).results,
  ];
  const results = all.filter(
    (r) => overlap(term, `${r.collectionName} ${r.artistName}`) >= Math.min(2, overlap(term, term)),
  );
  return ok({ resultCount: results.length, results });
}

/** The auth header custom-provider mocks accept (as recorded from ABS). */
export const MOCK_CUSTOM_AUTH = 'Bearer provider-secret-123';

/** An ABS custom metadata provider (spec + the requests ABS sends). */
export function customRoute(req: MockRequest): MockResponse {
  if (!req.path.endsWith('/search')) return { status: 404, body: { error: 'not found' } };
  if (req.headers.authorization !== MOCK_CUSTOM_AUTH) return { status: 401, body: { error: 'Unauthorized' } };
  const query = req.query.get('query') ?? '';
  if (!query) return { status: 400, body: { error: 'query is required' } };
  if (query === 'malformed') return ok({ results: [] });
  if (query === 'servererror') return { status: 500, body: { error: 'Internal Server Error' } };
  const recorded = fixture<{ matches: { title: string; author: string }[] }>(
    'abs/custom-provider-search-response.constructed.json',
  );
  return ok({ matches: recorded.matches.filter((m) => overlap(query, m.title) > 0) });
}
