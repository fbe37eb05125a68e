/**
 * A provider mock backed by a list of books (not by recorded fixtures): the Audible catalog API
 * (`/audible/1.0/catalog/products…`), the ABS custom-provider protocol (`/custom/search`) and
 * Audnexus by ASIN (`/audnexus/books/<asin>` and `…/chapters`) answer from the same records, so a generated library of many books can be matched end to end.
 * Deterministic (ranking ties broken by ASIN) so that the same question always gets the same answer.
 * Faults can be switched on per provider while it runs, to test outages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { words } from './fixtures.js';

export interface CatalogueBook {
  asin: string;
  title: string;
  authors: string[];
  narrators: string[];
  /** Whole minutes, as Audible's `runtime_length_min`. */
  minutes: number;
  /** YYYY-MM-DD. */
  released: string;
  publisher: string;
  description: string;
  genres: string[];
  series?: { title: string; sequence: string };
  /** Chapters Audnexus has, evenly over the runtime; absent: 404 "has no chapters" (not yet published). */
  chapters?: number;
}

export type CatalogueFault = 'none' | 'error' | 'hang';
export type CatalogueProvider = 'audible' | 'custom' | 'audnexus';

export interface CatalogueServer {
  origin: string;
  urls: Record<CatalogueProvider, string>;
  /** Requests served per provider. */
  calls: Record<CatalogueProvider, number>;
  setFault(provider: CatalogueProvider, fault: CatalogueFault): void;
  /** A book the providers start to know (a new release). */
  add(book: CatalogueBook): void;
  /** Audnexus publishes a known book's chapters (as it does some days after a release). */
  publishChapters(asin: string, count: number): void;
  close(): Promise<void>;
}

function product(b: CatalogueBook): Record<string, unknown> {
  return {
    asin: b.asin,
    title: b.title,
    authors: b.authors.map((name) => ({ name })),
    narrators: b.narrators.map((name) => ({ name })),
    runtime_length_min: b.minutes,
    release_date: b.released,
    publisher_name: b.publisher,
    publisher_summary: b.description,
    language: 'english',
    format_type: 'unabridged',
    content_delivery_type: 'SinglePartBook',
    category_ladders: b.genres.map((g) => ({ root: 'Genres', ladder: [{ id: g, name: g }] })),
    ...(b.series
      ? { series: [{ asin: `S${b.asin.slice(1)}`, title: b.series.title, sequence: b.series.sequence }] }
      : {}),
  };
}

function customMatch(b: CatalogueBook): Record<string, unknown> {
  return {
    title: b.title,
    author: b.authors.join(', '),
    narrator: b.narrators.join(', '),
    publisher: b.publisher,
    publishedYear: b.released.slice(0, 4),
    description: b.description,
    asin: b.asin,
    genres: b.genres,
    language: 'English',
    duration: b.minutes,
    ...(b.series ? { series: [{ series: b.series.title, sequence: b.series.sequence }] } : {}),
  };
}

function audnexusBook(b: CatalogueBook): Record<string, unknown> {
  return {
    asin: b.asin,
    title: b.title,
    authors: b.authors.map((name) => ({ name })),
    narrators: b.narrators.map((name) => ({ name })),
    releaseDate: `${b.released}T00:00:00.000Z`,
    publisherName: b.publisher,
    summary: b.description,
    language: 'english',
    runtimeLengthMin: b.minutes,
    formatType: 'unabridged',
    genres: b.genres.map((name) => ({ name, type: 'genre' })),
  };
}

function audnexusChapters(b: CatalogueBook, count: number): Record<string, unknown> {
  const total = b.minutes * 60_000;
  const each = Math.floor(total / count);
  return {
    asin: b.asin,
    brandIntroDurationMs: 0,
    brandOutroDurationMs: 0,
    isAccurate: true,
    runtimeLengthMs: total,
    chapters: Array.from({ length: count }, (_, i) => ({
      lengthMs: i === count - 1 ? total - each * i : each,
      startOffsetMs: each * i,
      title: `Chapter ${i + 1}`,
    })),
  };
}

/** Books sharing at least half the query's words, best overlap first, ties by ASIN. */
function search(books: readonly CatalogueBook[], query: string, limit: number): CatalogueBook[] {
  const q = words(query);
  if (q.size === 0) return [];
  return books
    .map((b) => {
      const doc = words(`${b.title} ${b.authors.join(' ')}`);
      let shared = 0;
      for (const w of q) if (doc.has(w)) shared += 1;
      return { b, score: shared / q.size };
    })
    .filter((h) => h.score >= 0.5)
    .sort((x, y) => y.score - x.score || x.b.asin.localeCompare(y.b.asin))
    .slice(0, limit)
    .map((h) => h.b);
}

export async function startCatalogueServer(
  books: readonly CatalogueBook[],
  opts: { latencyMs?: number } = {},
): Promise<CatalogueServer> {
  const known = [...books];
  const byAsin = new Map(known.map((b) => [b.asin, b]));
  const calls: Record<CatalogueProvider, number> = { audible: 0, custom: 0, audnexus: 0 };
  const faults: Record<CatalogueProvider, CatalogueFault> = {
    audible: 'none',
    custom: 'none',
    audnexus: 'none',
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const provider = url.pathname.split('/')[1] as CatalogueProvider;
    const send = (status: number, body: unknown): void => {
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }, opts.latencyMs ?? 0);
    };
    if (!(provider in calls)) return send(404, { message: 'Not found' });
    calls[provider] += 1;
    if (faults[provider] === 'hang') return; // never answers: the client's timeout decides
    if (faults[provider] === 'error') return send(503, { message: 'Service Unavailable' });
    if (provider === 'custom') {
      const query = url.searchParams.get('query') ?? '';
      const author = url.searchParams.get('author') ?? '';
      return send(200, { matches: search(known, `${query} ${author}`, 5).map(customMatch) });
    }
    if (provider === 'audnexus') {
      const [, asin, part] = /^\/audnexus\/books\/([A-Z0-9]+)(\/chapters)?$/.exec(url.pathname) ?? [];
      const b = asin ? byAsin.get(asin) : undefined;
      if (!b)
        return send(404, {
          error: { code: 'REGION_UNAVAILABLE', message: 'not in this region', details: null },
        });
      if (!part) return send(200, audnexusBook(b));
      // Audnexus's answer for a book whose chapters are not published yet (PROVIDERS.md).
      if (!b.chapters)
        return send(404, { statusCode: 404, error: 'Not Found', message: `${b.asin} has no chapters` });
      return send(200, audnexusChapters(b, b.chapters));
    }
    const one = /^\/audible\/1\.0\/catalog\/products\/([A-Z0-9]+)$/.exec(url.pathname);
    if (one?.[1]) {
      const b = byAsin.get(one[1]);
      return send(200, { product: b ? product(b) : { asin: one[1] }, response_groups: [] });
    }
    if (url.pathname !== '/audible/1.0/catalog/products') return send(404, { message: 'Not found' });
    const asins = url.searchParams.get('asins');
    const found = asins
      ? asins.split(',').flatMap((a) => (byAsin.has(a) ? [byAsin.get(a) as CatalogueBook] : []))
      : search(
          known,
          ['keywords', 'title', 'author'].map((k) => url.searchParams.get(k) ?? '').join(' '),
          Number(url.searchParams.get('num_results') ?? 10),
        );
    send(200, {
      products: found.map(product),
      total_results: found.length,
      response_groups: [],
      product_filters: [],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urls: { audible: `${origin}/audible`, custom: `${origin}/custom`, audnexus: `${origin}/audnexus` },
    calls,
    setFault: (provider, fault) => {
      faults[provider] = fault;
    },
    add: (book) => {
      known.push(book);
      byAsin.set(book.asin, book);
    },
    publishChapters: (asin, count) => {
      const b = byAsin.get(asin);
      if (!b) throw new Error(`no book ${asin} in the catalogue`);
      b.chapters = count;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
