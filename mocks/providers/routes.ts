import { fixture, fixtureNames, overlap } from './fixtures.js';

/** A request as the mocks see it, whether it came through msw or the local server. */
export interface MockRequest {
  method: string;
  /** Path below the provider root, e.g. `/books/B017V4IM1G`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: unknown;
}
export interface MockResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const ok = (body: unknown): MockResponse => ({ status: 200, body });
const REGIONS = ['au', 'ca', 'de', 'es', 'fr', 'in', 'it', 'jp', 'us', 'uk'];

function byAsin(folder: string, pattern: RegExp): Map<string, string> {
  const map = new Map<string, string>();
  for (const name of fixtureNames(folder, pattern)) {
    const asin = /(B0[0-9A-Z]{8})/.exec(name)?.[1];
    // Prefer the derived body (built from the real product) over the doc example.
    if (asin && (!map.has(asin) || name.includes('derived'))) map.set(asin, `${folder}/${name}`);
  }
  return map;
}

/** Audnexus: books (with both error shapes), chapters, authors. */
export function audnexusRoute(req: MockRequest): MockResponse {
  const region = req.query.get('region') ?? 'us';
  if (!REGIONS.includes(region)) return { status: 400, body: fixture('audnexus/error-400-bad-region.json') };
  const book = /^\/books\/([^/]+)(\/chapters)?$/.exec(req.path);
  if (book?.[1]) {
    const asin = decodeURIComponent(book[1]);
    if (asin !== asin.toUpperCase() || !/^(B[0-9A-Z]{9}|\d{9}[\dX])$/.test(asin)) {
      return { status: 400, body: fixture('audnexus/error-400-bad-asin.json') };
    }
    if (book[2]) {
      const file = byAsin('audnexus', /^chapters-/).get(asin);
      return file
        ? ok(fixture(file))
        : { status: 404, body: { statusCode: 404, error: 'Not Found', message: `${asin} has no chapters` } };
    }
    if (asin === 'B08JC5J5HR')
      return { status: 400, body: fixture('audnexus/error-400-content-type-mismatch-podcast.json') };
    if (asin === 'B089T8FSK6')
      return { status: 404, body: fixture('audnexus/error-404-product-delisted.json') };
    const file = byAsin('audnexus', /^book-/).get(asin);
    if (file) return ok(fixture(file));
    const body = fixture<{ error: { message: string; details: { asin: string } } }>(
      'audnexus/error-404-region-unavailable.json',
    );
    body.error.message = `Item not available in region '${region}' for ASIN: ${asin}`;
    body.error.details.asin = asin;
    return { status: 404, body };
  }
  const author = /^\/authors\/([^/]+)$/.exec(req.path);
  if (author?.[1]) {
    const file = byAsin('audnexus', /^author-/).get(author[1]);
    return file
      ? ok(fixture(file))
      : { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Author not found' } };
  }
  if (req.path === '/authors') {
    const name = req.query.get('name') ?? '';
    return ok(
      overlap(name, 'andy weir') ? fixture('audnexus/authors-search-name-andy-weir.constructed.json') : [],
    );
  }
  return {
    status: 404,
    body: { statusCode: 404, error: 'Not Found', message: `Route GET:${req.path} not found` },
  };
}

type Product = {
  asin?: string;
  title?: string;
  authors?: { name: string }[];
  content_delivery_type?: string;
};

/** Every recorded catalog product, keyed by ASIN (the title-removed one is kept: it is broken upstream). */
function catalog(): Map<string, Product> {
  const map = new Map<string, Product>();
  for (const name of fixtureNames('audible', /^catalog-product-/)) {
    const body = fixture<{ product?: Product } & Product>(`audible/${name}`);
    const product = body.product ?? body;
    const asin = product.asin ?? /(B0[0-9A-Z]{8})/.exec(name)?.[1];
    if (asin && !map.has(asin)) map.set(asin, product);
  }
  return map;
}

/** Audible catalog: product by ASIN (placeholders for unsold titles), `asins=` batch, keyword search. */
export function audibleRoute(req: MockRequest): MockResponse {
  const products = catalog();
  const one = /^\/1\.0\/catalog\/products\/([^/]+)$/.exec(req.path);
  if (one?.[1]) {
    const product = products.get(decodeURIComponent(one[1]));
    return product
      ? ok({ product, response_groups: ['always-returned'] })
      : { status: 404, body: { message: 'Requested product not found' } };
  }
  if (req.path !== '/1.0/catalog/products') return { status: 404, body: { message: 'Not found' } };
  const numResults = req.query.get('num_results') ?? '10';
  if (!/^\d+$/.test(numResults))
    return { status: 400, body: fixture('audible/catalog-error-validation.json') };
  const asins = req.query.get('asins');
  if (asins) {
    const found = asins.split(',').flatMap((a) => (products.has(a) ? [products.get(a)] : []));
    return ok({
      product_filters: [],
      products: found,
      response_groups: ['always-returned'],
      total_results: found.length,
    });
  }
  const q = [req.query.get('keywords'), req.query.get('title'), req.query.get('author')]
    .filter(Boolean)
    .join(' ');
  const hits = [...products.values()]
    .filter((p) => p.title)
    .map((p) => ({ p, score: overlap(q, `${p.title} ${(p.authors ?? []).map((a) => a.name).join(' ')}`) }))
    .filter((h) => h.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, Number(numResults));
  return ok({
    product_filters: [],
    products: hits.map((h) => h.p),
    response_groups: ['always-returned'],
    total_results: hits.length,
  });
}
