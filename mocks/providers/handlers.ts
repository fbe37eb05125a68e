import { HttpResponse, http } from 'msw';
import { AUDIBLE_TLD } from '../../src/providers/network/regions.js';
import { audibleRoute, audnexusRoute, type MockRequest, type MockResponse } from './routes.js';
import {
  customRoute,
  googleBooksRoute,
  hardcoverRoute,
  iTunesRoute,
  openLibraryRoute,
} from './routes-more.js';

/** Each mocked upstream: its real root URL and the route answering below it. */
export const UPSTREAMS: { id: string; roots: string[]; route: (req: MockRequest) => MockResponse }[] = [
  { id: 'audnexus', roots: ['https://api.audnex.us'], route: audnexusRoute },
  {
    id: 'audible',
    roots: Object.values(AUDIBLE_TLD).map((tld) => `https://api.audible.${tld}`),
    route: audibleRoute,
  },
  { id: 'hardcover', roots: ['https://api.hardcover.app'], route: hardcoverRoute },
  { id: 'openlibrary', roots: ['https://openlibrary.org'], route: openLibraryRoute },
  { id: 'googlebooks', roots: ['https://www.googleapis.com'], route: googleBooksRoute },
  { id: 'itunes', roots: ['https://itunes.apple.com'], route: iTunesRoute },
];

/** Builds the route's view of a fetch Request (path relative to `root`). */
export async function toMockRequest(request: Request, root: string): Promise<MockRequest> {
  const url = new URL(request.url);
  const rootPath = new URL(root).pathname.replace(/\/+$/, '');
  const text = request.method === 'POST' ? await request.text() : '';
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A non-JSON body reaches the route as text.
  }
  return {
    method: request.method,
    path: url.pathname.slice(rootPath.length) || '/',
    query: url.searchParams,
    headers: headersOf(request.headers),
    body,
  };
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

export function toHttpResponse(res: MockResponse): Response {
  const headers = { 'content-type': 'application/json', ...res.headers };
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  return new HttpResponse(text, { status: res.status, headers });
}

/** msw handlers for every upstream at its real host. */
export function providerHandlers() {
  return UPSTREAMS.flatMap((u) =>
    u.roots.map((root) =>
      http.all(`${root}/*`, async ({ request }) =>
        toHttpResponse(u.route(await toMockRequest(request, root))),
      ),
    ),
  );
}

/** msw handlers for an ABS custom provider registered at `url`. */
export function customProviderHandlers(url: string) {
  return [
    http.all(`${url.replace(/\/+$/, '')}/*`, async ({ request }) =>
      toHttpResponse(customRoute(await toMockRequest(request, url))),
    ),
  ];
}
